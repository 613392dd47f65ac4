"""Referees' statements in a combined result: per dimension what they observed and whether they agree,
which claims they confirmed or contradicted, and fraud signals for HR (never decisive on their own).

Pure: the referees' answers and the facts the signals need (e-mail domains, network fingerprints, seconds
taken) come in; a JSON-ready ``references`` block comes out. Their evidence is weighed into the dimensions
by the engine (source ``referee``, policy ``combine.referee_weight``); a contradicted claim fires
``unverified_claims`` through its option.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from app.scoring import model as m
from app.scoring.collect import Collected
from app.scoring.compiled import DIMENSIONS, Compiled, fill
from app.scoring.policy import Policy


@dataclass(frozen=True, slots=True)
class RefereeInput:
    """One completed referee statement, with what the fraud signals compare."""

    id: int
    name: str
    relation: str
    compiled: Compiled
    answers: Mapping[str, Any]
    email_domain: str | None = None
    network: str | None = None
    """A keyed fingerprint of the network address the referee answered from."""
    seconds: float | None = None
    """From opening the questions to submitting."""


@dataclass(frozen=True, slots=True)
class References:
    referees: Sequence[RefereeInput]
    candidate_domain: str | None = None
    candidate_networks: frozenset[str] = frozenset()
    """Keyed fingerprints of the networks the candidate answered their own link from."""


def _observations(
    referees: Sequence[RefereeInput], collected: Sequence[Collected], policy: Policy, lang: str
) -> dict[str, Any]:
    spread_max = policy.references.agreement_spread
    labels = policy.references.agreement_labels
    out: dict[str, Any] = {}
    for dim in DIMENSIONS:
        seen = []
        for referee, part in zip(referees, collected, strict=True):
            items = [c for c in part.contributions if c.dimension == dim]
            total = sum(c.weight for c in items)
            if total:
                seen.append(
                    {"referee": referee.id, "score": round(100 * sum(c.weight * c.score for c in items) / total, 1)}
                )
        scores = [o["score"] for o in seen]
        spread = round(max(scores) - min(scores), 1) if scores else None
        if not seen:
            agreement = "not_observed"
        elif len(seen) == 1:
            agreement = "single"
        else:
            agreement = "agree" if spread is not None and spread <= spread_max else "disagree"
        out[dim.value] = {
            "observations": seen,
            "mean": round(sum(scores) / len(scores), 1) if scores else None,
            "spread": spread,
            "agreement": agreement,
            "agreement_label": labels[agreement].get(lang) if agreement in labels else agreement,
        }
    return out


def _claims(referees: Sequence[RefereeInput]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, list[int]]] = {}
    for referee in referees:
        for item in referee.compiled.questionnaire.items():
            if not item.shows_claims or not isinstance(item, m.SingleChoiceItem):
                continue
            chosen = next((o for o in item.options if o.id == referee.answers.get(item.id)), None)
            verdict = chosen.confirms.value if chosen is not None and chosen.confirms is not None else "cannot_judge"
            for claim in item.shows_claims:
                entry = found.setdefault(claim, {"confirmed": [], "partly": [], "contradicted": [], "cannot_judge": []})
                entry[verdict].append(referee.id)
    return [
        {
            "claim": claim,
            "confirmed_by": entry["confirmed"],
            "partly_confirmed_by": entry["partly"],
            "contradicted_by": entry["contradicted"],
            "not_judged_by": entry["cannot_judge"],
        }
        for claim, entry in found.items()
    ]


def _domain(address: str | None) -> str | None:
    return address.lower() if address else None


def _identical(a: RefereeInput, b: RefereeInput, policy: Policy) -> bool:
    scored = [i.id for i in a.compiled.questionnaire.items() if not isinstance(i, m.FreeTextItem)]
    both = [i for i in scored if a.answers.get(i) is not None and b.answers.get(i) is not None]
    if len(both) < policy.references.identical_min_items:
        return False
    same = sum(1 for i in both if a.answers[i] == b.answers[i])
    return same / len(both) >= policy.references.identical_share


def _fraud(refs: References, policy: Policy, lang: str) -> list[dict[str, Any]]:
    rp = policy.references
    free = {d.lower() for d in rp.free_mail_domains}
    candidate_domain = _domain(refs.candidate_domain)
    flagged: dict[str, list[int]] = {
        code: [] for code in ("own_domain", "free_mail_manager", "candidate_network", "same_network", "too_fast")
    }
    fast: list[float] = []
    for referee in refs.referees:
        domain = _domain(referee.email_domain)
        if domain and candidate_domain and domain == candidate_domain and domain not in free:
            flagged["own_domain"].append(referee.id)
        if referee.relation == "manager" and domain in free:
            flagged["free_mail_manager"].append(referee.id)
        if referee.network and referee.network in refs.candidate_networks:
            flagged["candidate_network"].append(referee.id)
        if referee.network and referee.network in {o.network for o in refs.referees if o.id != referee.id}:
            flagged["same_network"].append(referee.id)
        if referee.seconds is not None and referee.seconds < rp.min_seconds:
            flagged["too_fast"].append(referee.id)
            fast.append(referee.seconds)
    identical = sorted({r.id for a, b in combinations(refs.referees, 2) if _identical(a, b, policy) for r in (a, b)})
    flagged["identical_answers"] = identical
    signals = []
    for code, ids in flagged.items():
        if not ids:
            continue
        text = rp.fraud.get(code)
        reason = fill(text.reason.get(lang), seconds=round(min(fast)) if fast else "") if text else code
        signals.append(
            {"code": code, "label": text.label.get(lang) if text else code, "reason": reason, "referees": ids}
        )
    return signals


def block(refs: References, collected: Sequence[Collected], policy: Policy, lang: str) -> dict[str, Any]:
    """Return the ``references`` block of a combined result (``collected``: the referees' parts, in order)."""
    return {
        "referees": [{"id": r.id, "name": r.name, "relation": r.relation, "seconds": r.seconds} for r in refs.referees],
        "dimensions": _observations(refs.referees, collected, policy, lang),
        "claims": _claims(refs.referees),
        "fraud_signals": _fraud(refs, policy, lang),
        "weights": {
            "self": policy.combine.self_weight,
            "referee": policy.combine.referee_weight,
            "hr": policy.combine.hr_weight,
        },
    }


def confirmed_claims(references: Mapping[str, Any]) -> set[str]:
    """Return the claims at least one referee confirmed and none contradicted."""
    return {c["claim"] for c in references["claims"] if c["confirmed_by"] and not c["contradicted_by"]}
