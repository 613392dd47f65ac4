"""Score answers into the result contract: evidence, claims, calibration, verdict, mentoring, integrity, role.

Pure and deterministic: the same answers, questionnaire version, date, language and conduct give the same
result, byte for byte. ``scored_at`` is the assessment date passed in, never the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.scoring import claims, integrity, mentoring, references, role, verdict
from app.scoring import model as m
from app.scoring.answers import AnswerError, validate_answers
from app.scoring.collect import Collected, Hit, collect
from app.scoring.compiled import Compiled, check_lang, compile_bundle, number
from app.scoring.evidence import coverage, dimension_json, dimension_scores, overall
from app.scoring.integrity import Conduct

ENGINE_VERSION = "2.4.0"
__all__ = [
    "ENGINE_VERSION",
    "AnswerError",
    "Compiled",
    "Conduct",
    "Part",
    "compile_bundle",
    "score",
    "score_combined",
    "validate_answers",
]


@dataclass(frozen=True, slots=True)
class Part:
    """One completed questionnaire to fold into a combined result."""

    compiled: Compiled
    answers: Mapping[str, Any]
    rubric: Mapping[str, float] | None = None
    conduct: Conduct = field(default_factory=Conduct)


def _header(compiled: Compiled, on: dt.date, lang: str) -> dict[str, Any]:
    return {
        "questionnaire": {
            "id": compiled.id,
            "kind": compiled.kind_code,
            "title": compiled.questionnaire.title.get(lang),
            "version": compiled.content_hash,
        },
        "scored_at": on.isoformat(),
        "engine_version": ENGINE_VERSION,
        "language": lang,
    }


def _overclaiming(parts: list[Collected]) -> dict[str, Any] | None:
    oc = next((p.overclaiming for p in parts if p.overclaiming is not None), None)
    if oc is None:
        return None
    return {
        "hit_rate": round(oc.hit_rate, 4),
        "false_alarm_rate": round(oc.false_alarm_rate, 4),
        "d_prime": round(oc.d_prime, 4),
        "c": round(oc.c, 4),
        "accuracy": round(oc.accuracy, 4),
        "bias": round(oc.bias, 4),
        "counts": {"hits": oc.hits, "reals": oc.reals, "false_alarms": oc.false_alarms, "foils": oc.foils},
        "foils_claimed": [name for p in parts for name in p.foils_claimed],
    }


def _integrity(parts: list[Collected], given: Sequence[Part], lang: str) -> dict[str, Any]:
    checks = [integrity.check(p.compiled, p.answers, p.conduct, lang) for p in given]
    flags = [f for c in checks for f in c["flags"]]
    return {"flags": flags, "confidence": "lowered" if flags else "normal"}


def _candidate_result(parts: list[Collected], given: Sequence[Part], lang: str) -> dict[str, Any]:
    compiled = parts[0].compiled
    policy = compiled.policy
    dims = dimension_scores(parts)
    scores = {d: (s.score if s is not None else None) for d, s in dims.items()}
    total = overall(dims, compiled)
    ratings = {dim: r for p in parts for dim, r in p.self_ratings.items()}
    excesses: list[float] = []
    self_hits: list[Hit] = []
    labels = compiled.dimension_labels[lang]
    for dim, rated in ratings.items():
        shown = scores.get(dim)
        if shown is None:
            continue
        over = max(0.0, rated.rating - shown - policy.self_rating.margin)
        excesses.append(over)
        if over > 0:
            detail = compiled.say(
                "self_rating_excess",
                lang,
                label=labels[dim],
                rating=number(rated.rating, lang, 0),
                evidence=number(shown, lang, 0),
            )
            self_hits.append(Hit(m.Signal.SELF_RATING_ABOVE_EVIDENCE.value, rated.item_id, detail))
    mean_excess = sum(excesses) / len(excesses) if excesses else 0.0
    fired = claims.signals(parts, mean_excess, self_hits)
    claims_index = claims.index(fired, compiled)
    covered = coverage(parts, dims, lang)
    unconfirmed = [h.detail for p in parts for h in p.unconfirmed]
    checking = [p for p in parts if p.compiled.checks]
    checks = (
        [c.score for p in checking for c in p.contributions if c.item_id in p.compiled.checks] if checking else None
    )
    scenarios = [c.score for p in parts for c in p.contributions if c.item_id in p.compiled.scenarios]
    decision = verdict.decide(
        verdict.metrics(scores, total, claims_index, compiled, checks, scenarios),
        covered,
        fired,
        unconfirmed,
        compiled,
        lang,
    )
    checked = _integrity(parts, given, lang)
    decided = decision.json | {"confidence": checked["confidence"]}
    # Answers the form's own other answers say cannot be right earned nothing: say so, so the form can be put right.
    ruled_out = [{"kind": "ruled_out", "text": h.detail} for p in parts for h in p.ruled_out]
    if ruled_out:
        decided["reasons"] = [*decided["reasons"], *ruled_out]
    if checked["flags"]:
        flags = "; ".join(dict.fromkeys(f["label"] for f in checked["flags"]))  # two fast sections: one kind
        decided["reasons"] = [
            *decided["reasons"],
            {"kind": "confidence", "text": compiled.say("confidence_lowered", lang, flags=flags)},
        ]
    measured = sum(1 for s in scores.values() if s is not None)
    summary = compiled.say("evidence_summary", lang, score=number(total or 0.0, lang), n=measured)
    return {
        "evidence": {
            "overall": total,
            "dimensions": {d: dimension_json(d, s, compiled, lang) for d, s in dims.items()},
            "coverage": covered.json(),
            "explanation": {"summary": summary, "weights": dict(compiled.weights)},
        },
        "claims": claims.claims_json(fired, claims_index, parts, lang),
        "overclaiming": _overclaiming(parts),
        "tenure": [entry for p in parts for entry in p.tenure],
        "calibration": verdict.calibration(
            scores, total, {d: r.rating for d, r in ratings.items()}, claims_index, compiled, lang
        ),
        "verdict": decided,
        "mentoring": mentoring.plan(scores, decided["code"], decision, compiled, lang),
        "integrity": checked,
        "role": None,
    }


def _empty_candidate_keys() -> dict[str, Any]:
    keys = ("evidence", "claims", "overclaiming", "calibration", "verdict", "mentoring", "integrity")
    return dict.fromkeys(keys) | {"tenure": []}


def score(
    compiled: Compiled,
    answers: Mapping[str, Any],
    *,
    at: dt.date,
    lang: str = "en",
    rubric: Mapping[str, float] | None = None,
    conduct: Conduct | None = None,
) -> dict[str, Any]:
    """Score one questionnaire's answers (already validated) into the result contract."""
    check_lang(lang)
    part = Part(compiled, answers, rubric, conduct or Conduct())
    collected = collect(compiled, answers, on=at, lang=lang, rubric=rubric)
    result = _header(compiled, at, lang)
    if compiled.is_role:
        result.update(_empty_candidate_keys())
        result["role"] = role.assess(collected)
    else:
        result.update(_candidate_result([collected], [part], lang))
    return result


def score_combined(
    parts: Sequence[Part],
    *,
    at: dt.date,
    lang: str = "en",
    role_part: Part | None = None,
    refs: references.References | None = None,
) -> dict[str, Any]:
    """Join a candidate's self-test and HR assessment (and the role, and referees' statements) into one result.

    HR-observed evidence weighs more than referees' statements, and those more than self-report (policy
    ``combine``), verified items more still (``verified_weight``); claims HR or a referee could not verify
    add to the claims index, and a self-reported claim HR's checks or a referee confirmed (and nobody contradicted) is
    no longer listed as unconfirmed.
    """
    check_lang(lang)
    if not parts:
        raise ValueError("a combined result needs at least one completed questionnaire")
    kinds = [p.compiled.kind for p in parts]
    if m.Kind.ROLE_ASSESSMENT in kinds or len(set(kinds)) != len(kinds):
        raise ValueError(f"a combined result joins one self-test and one HR assessment, got {[k.value for k in kinds]}")
    collected = [collect(p.compiled, p.answers, on=at, lang=lang, rubric=p.rubric) for p in parts]
    from_referees = [collect(r.compiled, r.answers, on=at, lang=lang) for r in (refs.referees if refs else ())]
    block = references.block(refs, from_referees, parts[0].compiled.policy, lang) if refs else None
    # A self-reported claim that HR's own check (the reference call, the results seen, the years checked) or a referee
    # confirmed, and nobody contradicted, is no longer a claim to verify: its message says it counts once confirmed.
    checks = [check for part in collected for check in part.claim_checks.items()]
    confirmed = {claim for claim, said in checks if said == m.ClaimCheck.CONFIRMED}
    contradicted = {claim for claim, said in checks if said == m.ClaimCheck.CONTRADICTED}
    if block is not None:
        confirmed |= references.confirmed_claims(block)
        contradicted |= {c["claim"] for c in block["claims"] if c["contradicted_by"]}
    for part in collected:
        part.unconfirmed = [h for h in part.unconfirmed if h.item_id not in confirmed - contradicted]
    head = _header(parts[0].compiled, at, lang)
    head["parts"] = [
        {"id": p.compiled.id, "kind": p.compiled.kind_code, "version": p.compiled.content_hash} for p in parts
    ]
    result = head | _candidate_result([*collected, *from_referees], parts, lang)
    if block is not None:
        result["references"] = block
    if role_part is not None:
        result["role"] = role.assess(collect(role_part.compiled, role_part.answers, on=at, lang=lang))
    return result
