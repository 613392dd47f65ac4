"""Calibration between claims and evidence, and the verdict with the reasons of the rule that decided it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from app.scoring import model as m
from app.scoring.claims import Signal
from app.scoring.compiled import DIMENSIONS, VERDICT_RANK, Compiled, ConditionText, fill, number
from app.scoring.evidence import Coverage
from app.scoring.policy import VerdictRule

RANK = VERDICT_RANK
DIMENSION_CODES: Final = frozenset(d.value for d in DIMENSIONS)


OVER: Final = m.Calibration.OVER_CLAIMING.value
UNDER: Final = m.Calibration.UNDER_CLAIMING.value
CALIBRATED: Final = m.Calibration.CALIBRATED.value


def _classify(gap: float, margin: float) -> str:
    if gap > margin:
        return OVER
    if gap < -margin:
        return UNDER
    return CALIBRATED


def calibration(
    evidence: Mapping[m.Dimension, float | None],
    overall: float | None,
    self_ratings: Mapping[m.Dimension, float],
    claims: float,
    compiled: Compiled,
    lang: str,
) -> dict[str, Any]:
    """Compare what a person claims with what they show, overall and per self-rated dimension."""
    policy = compiled.policy.calibration
    labels = compiled.calibration_labels[lang]
    per_dim: dict[str, Any] = {}
    gaps: list[float] = []
    for dim in DIMENSIONS:
        rating, score = self_ratings.get(dim), evidence.get(dim)
        if rating is None or score is None:
            continue
        # Compared as shown (rounded to 0.1), like a verdict's conditions: a gap shown as 25.0 is within the margin.
        gap = round(rating - score, 1)
        gaps.append(gap)
        code = _classify(gap, policy.margin)
        per_dim[dim] = {
            "code": code,
            "label": labels[code],
            "self_rating": round(rating, 1),
            "evidence": round(score, 1),
            "gap": round(gap, 1),
        }
    mean_gap = round(sum(gaps) / len(gaps), 1) if gaps else 0.0
    # Overall, the claims index (titles, invented terms, impossible years...) weighs first: heavy claims are
    # over-claiming however the self-ratings read. Under-claiming needs modest claims; it is hidden talent
    # only on strong evidence. "Matches" is said only when nothing is out of balance, else the dimensions that are.
    out_of_balance = [dim for dim, entry in per_dim.items() if entry["code"] != CALIBRATED]
    if overall is None:
        code, reason = CALIBRATED, "no_evidence"
    elif claims >= policy.over_claims_index:
        code, reason = OVER, "claims_high" if overall < policy.over_max_evidence else "claims_heavy"
    elif gaps and mean_gap > policy.margin:
        code, reason = OVER, "self_above"
    elif gaps and mean_gap < -policy.margin:
        code = UNDER
        if claims >= policy.under_max_claims_index:
            reason = "self_below_with_claims"
        else:
            reason = "self_below" if overall >= policy.under_min_evidence else "self_below_modest"
    else:
        code, reason = CALIBRATED, "matches_except" if out_of_balance else "matches"
    dimension_names = compiled.dimension_labels[lang]
    listed = "; ".join(
        f"{dimension_names[m.Dimension(dim)]}: {per_dim[dim]['label'].lower()}" for dim in out_of_balance
    )
    text = fill(
        policy.reasons[reason].get(lang),
        claims=number(claims, lang, 0),
        evidence=number(overall or 0.0, lang, 0),
        gap=number(abs(mean_gap), lang),  # "25.4 points": "25" would not be beyond the margin of 25
        dimensions=listed,
    )
    return {
        "code": code,
        "label": labels[code],
        "reason": text,
        "mean_self_rating_gap": round(mean_gap, 1) if gaps else None,
        "dimensions": per_dim,
    }


def metrics(
    evidence: Mapping[m.Dimension, float | None],
    overall: float | None,
    claims: float,
    compiled: Compiled,
    checks: list[float] | None = None,
    scenarios: list[float] | None = None,
) -> dict[str, float | None]:
    """The values verdict rules test (see ``app.scoring.policy.METRICS``), as shown to people: 0.1 rounded.

    ``checks`` are the scores (0-1) of the checks by others that were done (HR's verification, referees'
    answers), or None when no questionnaire of the result can check anything (a self-test alone): then
    ``confirmed`` is left out and a rule's condition on it does not apply. Checks that could have been done
    but were not leave it unmeasured, so the condition fails and says so.

    ``scenarios`` are the scores (0-1) of the situational-judgement items answered: ``judgement`` is their mean,
    unmeasured (so a condition on it fails) when there are none, as in an HR assessment alone.
    """
    measured = [s for s in evidence.values() if s is not None]
    per_dimension: dict[str, float | None] = dict(evidence.items())  # a Dimension is its code
    values: dict[str, float | None] = {
        "evidence": overall,
        "claims": claims,
        "min_dimension": min(measured) if measured else None,
        "weak_dimensions": float(sum(1 for s in measured if s < compiled.policy.weak_below)),
        **per_dimension,
    }
    if checks is not None:
        values["confirmed"] = round(100.0 * sum(checks) / len(checks), 1) if checks else None
    values["judgement"] = round(100.0 * sum(scenarios) / len(scenarios), 1) if scenarios else None
    return values


def describe(condition: ConditionText, value: float | None, compiled: Compiled, lang: str) -> str:
    """A condition as a person would write it: "total evidence 66 (needed: at least 75)"."""
    if value is None:
        return condition.unmeasured
    return compiled.say("condition", lang, metric=condition.metric, value=number(value, lang), needed=condition.needed)


@dataclass(frozen=True, slots=True)
class Decision:
    rule: VerdictRule | None
    """None when coverage was not enough to judge."""
    json: dict[str, Any]
    shortfalls: list[str]
    """What kept the nearest better verdict away, in words (empty at the top), leaving out checks not done."""
    held_back: list[str]
    """Every condition that kept the nearest better verdict away, checks not done included."""


def decide(
    values: Mapping[str, float | None],
    coverage: Coverage,
    fired: list[Signal],
    unconfirmed: list[str],
    compiled: Compiled,
    lang: str,
) -> Decision:
    """Apply the coverage bar, then the policy's rules in order; the first whose conditions all hold decides.

    The reasons are the deciding rule's own reason and the conditions that held; for each better verdict,
    the conditions that kept it away. A rule with ``verify`` names the claims to check.
    """
    policy = compiled.policy
    labels = compiled.verdict_labels[lang]
    # Only claims a reference or a check can confirm are claims to verify; a diagnostic ("success measured in
    # likes", invented terms) is asked about instead, and stays shown with the claim signals.
    checkable = [s for s in fired if not policy.signals[s.code].diagnostic]
    to_ask = [policy.signals[s.code].label.get(lang) for s in fired if policy.signals[s.code].diagnostic]
    to_verify = [policy.signals[s.code].label.get(lang) for s in checkable] + unconfirmed
    verify = [{"kind": "signal", "code": s.code, "label": policy.signals[s.code].label.get(lang)} for s in checkable]
    verify += [{"kind": "self_reported", "code": "self_reported", "label": text} for text in unconfirmed]
    if not coverage.enough:
        code = m.Verdict.INSUFFICIENT_EVIDENCE.value
        missing = [{"kind": "unmet", "text": text} for text in coverage.reasons]
        body = {"code": code, "label": labels[code], "rule": "coverage", "reasons": missing, "verify": verify}
        return Decision(None, body, coverage.reasons, coverage.reasons)
    conditions = compiled.conditions[lang]
    failed_better: list[tuple[VerdictRule, list[ConditionText]]] = []
    chosen = policy.verdict_rules[-1]
    # A condition on a metric this result cannot have (checks by others, for a self-test alone) does not apply.
    applying = {
        rule.id: [c for c in conditions[rule.id] if c.condition.metric in values] for rule in policy.verdict_rules
    }
    for rule in policy.verdict_rules:
        failed = [c for c in applying[rule.id] if not c.holds(values[c.condition.metric])]
        if not failed:
            chosen = rule
            break
        failed_better.append((rule, failed))
    # The fallback reached only because a dimension nobody observed failed a better rule's conditions (every
    # other condition held) is a guess, not a judgement: insufficient evidence, naming what is missing.
    unobserved = None
    if "unobserved_decides" in compiled.messages[lang]:
        unobserved = _only_unobserved(chosen, failed_better, values)
    if unobserved is not None:
        better, unseen = unobserved
        text = compiled.say(
            "unobserved_decides", lang, missing=", ".join(c.metric for c in unseen), verdict=labels[better.verdict]
        )
        reasons: list[dict[str, str]] = [{"kind": "decided", "text": text}]
    else:
        reasons = [{"kind": "decided", "text": chosen.reason.get(lang)}]
        reasons += [
            {"kind": "met", "text": describe(c, values[c.condition.metric], compiled, lang)}
            for c in applying[chosen.id]
        ]
    if chosen.verify and to_verify:
        reasons.append({"kind": "verify", "text": compiled.say("verify_claims", lang, claims="; ".join(to_verify))})
    if chosen.verify and to_ask:
        reasons.append({"kind": "ask", "text": compiled.say("ask_about_signals", lang, signals="; ".join(to_ask))})
    # For each better verdict, the rule that came closest says what kept it away. A rule that only
    # applies with heavy claims (``verify``) is no way to reach a verdict, so it is never the example.
    closest: dict[str, tuple[VerdictRule, list[ConditionText]]] = {}
    chosen_code = chosen.verdict.value
    rank = RANK[chosen_code]
    for better, failed in failed_better:
        code = better.verdict
        if RANK[code] >= rank:
            continue
        found = closest.get(code)
        if (
            found is None
            or (found[0].verify and not better.verify)
            or (found[0].verify == better.verify and len(failed) < len(found[1]))
        ):
            closest[code] = (better, failed)
    shortfalls: list[str] = []
    held_back: list[str] = []
    for code in sorted(closest, key=RANK.__getitem__):
        described = [describe(c, values[c.condition.metric], compiled, lang) for c in closest[code][1]]
        # The last one is the nearest better verdict. A check nobody has done yet is no gap to grow on.
        shortfalls = [d for c, d in zip(closest[code][1], described, strict=True) if c.condition.metric != "confirmed"]
        held_back = described
        text = compiled.say("verdict_not_reached", lang, verdict=labels[code], condition="; ".join(described))
        reasons.append({"kind": "unmet", "text": text})
    if unobserved is not None:
        chosen_code = m.Verdict.INSUFFICIENT_EVIDENCE.value
    body = {
        "code": chosen_code,
        "label": labels[chosen_code],
        "rule": "unobserved" if unobserved is not None else chosen.id,
        "reasons": reasons,
        "verify": verify,
    }
    return Decision(chosen, body, shortfalls, held_back)


def _only_unobserved(
    chosen: VerdictRule,
    failed_better: list[tuple[VerdictRule, list[ConditionText]]],
    values: Mapping[str, float | None],
) -> tuple[VerdictRule, list[ConditionText]] | None:
    """The better rule that only a dimension nobody observed kept away, when the fallback decided; else None.

    A senior self-test with both free texts left empty shows no track record at all: "only under
    supervision" would then say the person lacks what every other answer shows they have.
    """
    if chosen.when:
        return None
    for rule, failed in failed_better:
        if RANK[rule.verdict] >= RANK[chosen.verdict] or rule.verify:
            continue
        if all(c.condition.metric in DIMENSION_CODES and values.get(c.condition.metric) is None for c in failed):
            return rule, failed
    return None
