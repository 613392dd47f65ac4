"""Score answers into the result contract: evidence, claims, calibration, verdict, mentoring, role.

Pure and deterministic: the same answers, questionnaire version, date and language give the same
result, byte for byte. ``scored_at`` is the assessment date passed in, never the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from app.scoring import mentoring, role, verdict
from app.scoring import model as m
from app.scoring.answers import AnswerError, validate_answers
from app.scoring.collect import SELF_RATING_ABOVE_EVIDENCE, Collected, Hit, SelfRating, collect
from app.scoring.compiled import Compiled, compile_bundle, lang_index
from app.scoring.evidence import (
    claims_index,
    claims_json,
    dimension_json,
    dimension_scores,
    overall,
    signal_strengths,
)
from app.scoring.numbers import fmt0, iso_date, r1, r4

ENGINE_VERSION = "1.0.0"
_DIMENSION_CODES: Final = [d.value for d in m.DIMENSIONS]
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


def _header(compiled: Compiled, on: dt.date, lang: str) -> dict[str, Any]:
    return {
        "questionnaire": {
            "id": compiled.id,
            "kind": compiled.kind_code,
            "title": compiled.texts[lang_index(lang)].title,
            "version": compiled.content_hash,
        },
        "scored_at": iso_date(on),
        "engine_version": ENGINE_VERSION,
        "language": lang,
    }


def _overclaiming(parts: list[Collected]) -> dict[str, Any] | None:
    oc = None
    for p in parts:
        if p.overclaiming is not None:
            oc = p.overclaiming
            break
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


def _tenure(parts: list[Collected]) -> list[dict[str, Any]]:
    return [entry for p in parts for entry in p.tenure]


def _candidate_result(parts: list[Collected]) -> dict[str, Any]:
    compiled = parts[0].compiled
    texts = parts[0].texts
    margin = compiled.self_rating_margin
    dims = dimension_scores(parts, compiled)
    total = overall(dims, compiled)
    scores: list[float | None] = [None if ds is None else ds.score for ds in dims]
    ratings: list[SelfRating | None] = [None, None, None, None, None, None]
    for p in parts:
        for i, found in enumerate(p.self_ratings):
            if found is not None:
                ratings[i] = found
    excess_total = 0.0
    excess_count = 0
    self_hits: list[Hit] = []
    for i, rated in enumerate(ratings):
        evidence_score = scores[i]
        if rated is None or evidence_score is None:
            continue
        over = max(0.0, rated.rating - evidence_score - margin)
        excess_total += over
        excess_count += 1
        if over > 0:
            detail = texts.tpl["self_rating_excess"].fill(
                [texts.dimension_labels[i], fmt0(rated.rating), fmt0(evidence_score)]
            )
            self_hits.append(Hit(SELF_RATING_ABOVE_EVIDENCE, rated.item_id, detail))
    mean_excess = excess_total / excess_count if excess_count else 0.0
    strengths, hits = signal_strengths(parts, compiled, mean_excess, self_hits)
    index = claims_index(strengths, compiled)
    # The values of compiled.METRICS: evidence, claims, the weakest dimension, then each dimension.
    metrics: list[float | None] = [total, index, None, *scores]
    measured = 0
    for value in scores:
        if value is not None:
            measured += 1
            low = metrics[2]
            if low is None or value < low:
                metrics[2] = value
    decided = verdict.verdict(metrics, compiled, texts)
    evidence_json = {
        "overall": r1(total) if total is not None else None,
        "dimensions": {code: dimension_json(i, dims[i], texts) for i, code in enumerate(_DIMENSION_CODES)},
        "explanation": {
            "summary": texts.tpl["evidence_summary"].fill([fmt0(total or 0.0), str(measured)]),
            "weights": dict(compiled.dimension_weights_json),
        },
    }
    rating_values = [None if r is None else r.rating for r in ratings]
    return {
        "evidence": evidence_json,
        "claims": claims_json(strengths, hits, index, compiled, texts),
        "overclaiming": _overclaiming(parts),
        "tenure": _tenure(parts),
        "calibration": verdict.calibration(scores, total, rating_values, index, compiled, texts),
        "verdict": decided,
        "mentoring": mentoring.plan(scores, decided["code"], compiled, texts),
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
    part = collect(compiled, answers, on=at, lang=lang, source=compiled.source, rubric=rubric)
    result = _header(compiled, at, lang)
    if compiled.is_role:
        result.update(_empty_candidate_keys())
        result["role"] = role.assess(part)
    else:
        result.update(_candidate_result([part]))
    return result


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
        collect(p.compiled, p.answers, on=at, lang=lang, source=p.compiled.source, rubric=p.rubric) for p in parts
    ]
    head = _header(parts[0].compiled, at, lang)
    head["parts"] = [
        {
            "id": p.compiled.id,
            "kind": p.compiled.kind_code,
            "version": p.compiled.content_hash,
        }
        for p in parts
    ]
    result = head | _candidate_result(collected)
    if role_part is not None:
        result["role"] = role.assess(collect(role_part.compiled, role_part.answers, on=at, lang=lang, source="role"))
    return result
