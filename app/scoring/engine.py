"""Score answers into the result contract: evidence, claims, calibration, verdict, mentoring, role.

Pure and deterministic: the same answers, questionnaire version, date and language give the same
result, byte for byte. ``scored_at`` is the assessment date passed in, never the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.scoring import mentoring, role, verdict
from app.scoring import model as m
from app.scoring.answers import AnswerError, validate_answers
from app.scoring.collect import Collected, Hit, collect
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.evidence import (
    claims_index,
    claims_json,
    dimension_json,
    dimension_scores,
    overall,
    r1,
    r4,
    signal_strengths,
)

ENGINE_VERSION = "1.0.0"

__all__ = [
    "ENGINE_VERSION",
    "AnswerError",
    "Compiled",
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


def _source(compiled: Compiled) -> str:
    return "hr" if compiled.questionnaire.kind is m.Kind.HR_ASSESSMENT else "self"


def _header(compiled: Compiled, on: dt.date, lang: str) -> dict[str, Any]:
    q = compiled.questionnaire
    return {
        "questionnaire": {
            "id": q.id,
            "kind": q.kind.value,
            "title": q.title.get(lang),
            "version": compiled.content_hash,
        },
        "scored_at": on.isoformat(),
        "engine_version": ENGINE_VERSION,
        "language": lang,
    }


def _overclaiming(parts: Sequence[Collected]) -> dict[str, Any] | None:
    oc = next((p.overclaiming for p in parts if p.overclaiming is not None), None)
    if oc is None:
        return None
    return {
        "hit_rate": r4(oc.hit_rate),
        "false_alarm_rate": r4(oc.false_alarm_rate),
        "d_prime": r4(oc.d_prime),
        "c": r4(oc.c),
        "accuracy": r4(oc.accuracy),
        "bias": r4(oc.bias),
        "counts": {"hits": oc.hits, "reals": oc.reals, "false_alarms": oc.false_alarms, "foils": oc.foils},
        "foils_claimed": [name for p in parts for name in p.foils_claimed],
    }


def _tenure(parts: Sequence[Collected]) -> list[dict[str, Any]]:
    return [
        {
            "platform": t.platform,
            "claimed_years": r1(t.claimed),
            "possible_years": r1(t.possible),
            "impossible": t.impossible,
        }
        for p in parts
        for t in p.tenure
    ]


def _candidate_result(parts: Sequence[Collected], lang: str) -> dict[str, Any]:
    policy = parts[0].compiled.policy
    messages = parts[0].compiled.messages[lang]

    def fmt(key: str, **values: Any) -> str:
        return messages[key].format(**values)

    dims = dimension_scores(parts, policy)
    total = overall(dims, policy)
    scores = {d: s.score for d, s in dims.items()}
    ratings = {d: r for p in parts for d, (r, _) in p.self_ratings.items()}
    rating_items = {d: item for p in parts for d, (_, item) in p.self_ratings.items()}
    excess: list[float] = []
    self_hits: list[Hit] = []
    for d, rating in ratings.items():
        evidence_score = scores.get(d)
        if evidence_score is None:
            continue
        over = max(0.0, rating - evidence_score - policy.self_rating.margin)
        excess.append(over)
        if over > 0:
            label = policy.dimension_labels[d].get(lang)
            detail = fmt("self_rating_excess", label=label, rating=f"{rating:.0f}", evidence=f"{evidence_score:.0f}")
            self_hits.append(Hit(m.Signal.SELF_RATING_ABOVE_EVIDENCE, rating_items[d], detail))
    mean_excess = sum(excess) / len(excess) if excess else 0.0
    strengths = signal_strengths(parts, policy, mean_excess, self_hits)
    index = claims_index(strengths, policy)
    measured = [s for s in scores.values() if s is not None]
    metrics: dict[str, float | None] = {
        "evidence": total,
        "claims": index,
        "min_dimension": min(measured) if measured else None,
        **{d.value: s for d, s in scores.items()},
    }
    decided = verdict.verdict(metrics, policy, lang)
    evidence_json = {
        "overall": r1(total) if total is not None else None,
        "dimensions": {d.value: dimension_json(d, dims[d], policy, lang, fmt) for d in m.DIMENSIONS},
        "explanation": {
            "summary": fmt("evidence_summary", score=f"{total or 0:.0f}", n=len(measured)),
            "weights": {d.value: policy.dimension_weights[d] for d in m.DIMENSIONS},
        },
    }
    return {
        "evidence": evidence_json,
        "claims": claims_json(strengths, index, policy, lang, fmt),
        "overclaiming": _overclaiming(parts),
        "tenure": _tenure(parts),
        "calibration": verdict.calibration(scores, total, ratings, index, policy, lang),
        "verdict": decided,
        "mentoring": mentoring.plan(scores, m.Verdict(decided["code"]), policy, lang),
        "role": None,
    }


def _empty_candidate_keys() -> dict[str, Any]:
    keys = ("evidence", "claims", "overclaiming", "calibration", "verdict", "mentoring")
    return {k: None for k in keys} | {"tenure": []}


def score(
    compiled: Compiled,
    answers: Mapping[str, Any],
    *,
    at: dt.date,
    lang: str = "en",
    rubric: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Score one questionnaire's answers (already validated) into the result contract."""
    part = collect(compiled, answers, on=at, lang=lang, source=_source(compiled), rubric=rubric)
    result = _header(compiled, at, lang)
    if compiled.questionnaire.kind is m.Kind.ROLE_ASSESSMENT:
        return result | _empty_candidate_keys() | {"role": role.assess(part)}
    return result | _candidate_result([part], lang)


def score_combined(
    parts: Sequence[Part], *, at: dt.date, lang: str = "en", role_part: Part | None = None
) -> dict[str, Any]:
    """Join a candidate's self-test and HR assessment (and the role) into one result.

    HR-observed evidence weighs more than self-report (policy ``combine``), verified items more
    still (``verified_weight``), and claims HR could not verify add to the claims index.
    """
    if not parts:
        raise ValueError("a combined result needs at least one completed questionnaire")
    collected = [
        collect(p.compiled, p.answers, on=at, lang=lang, source=_source(p.compiled), rubric=p.rubric) for p in parts
    ]
    head = _header(parts[0].compiled, at, lang)
    head["parts"] = [
        {
            "id": p.compiled.questionnaire.id,
            "kind": p.compiled.questionnaire.kind.value,
            "version": p.compiled.content_hash,
        }
        for p in parts
    ]
    result = head | _candidate_result(collected, lang)
    if role_part is not None:
        result["role"] = role.assess(collect(role_part.compiled, role_part.answers, on=at, lang=lang, source="role"))
    return result
