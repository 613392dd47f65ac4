"""Calibration between claims and evidence, and the verdict with the reasons that decided it."""

from __future__ import annotations

from typing import Any, Final

from app.scoring.compiled import DIMENSION_CODES, VERDICT_RANK, Compiled, Rule, Texts
from app.scoring.numbers import fmt0, r1

RANK: Final = VERDICT_RANK
"""Verdicts from best (0) to worst (3)."""
# Copied and filled per dimension; keys in the order of the result contract.
_DIMENSION_ENTRY: Final[dict[str, Any]] = {"code": "", "label": "", "self_rating": 0.0, "evidence": 0.0, "gap": 0.0}
CALIBRATED: Final = "calibrated"
OVER_CLAIMING: Final = "over_claiming"
UNDER_CLAIMING: Final = "under_claiming"


def _classify(gap: float, margin: float) -> str:
    if gap > margin:
        return OVER_CLAIMING
    if gap < -margin:
        return UNDER_CLAIMING
    return CALIBRATED


def calibration(
    evidence: list[float | None],
    overall: float | None,
    self_ratings: list[float | None],
    claims: float,
    compiled: Compiled,
    texts: Texts,
) -> dict[str, Any]:
    """Compare what a person claims with what they show, overall and per self-rated dimension."""
    margin = compiled.calibration_margin
    labels = texts.calibration_labels
    per_dim: dict[str, Any] = {}
    gaps: list[float] = []
    for i, dim in enumerate(DIMENSION_CODES):
        rating, score = self_ratings[i], evidence[i]
        if rating is None or score is None:
            continue
        gap = rating - score
        gaps.append(gap)
        code = _classify(gap, margin)
        entry = _DIMENSION_ENTRY.copy()
        entry["code"] = code
        entry["label"] = labels[code]
        entry["self_rating"] = r1(rating)
        entry["evidence"] = r1(score)
        entry["gap"] = r1(gap)
        per_dim[dim] = entry
    mean_gap = 0.0
    if gaps:
        total = 0.0
        for gap in gaps:
            total += gap
        mean_gap = total / len(gaps)
    if overall is None:
        code, reason = CALIBRATED, "no_evidence"
    elif claims >= compiled.over_claims_index and overall < compiled.over_max_evidence:
        code, reason = OVER_CLAIMING, "claims_high"
    elif gaps and mean_gap > margin:
        code, reason = OVER_CLAIMING, "self_above"
    elif gaps and mean_gap < -margin and claims < compiled.under_max_claims_index:
        code, reason = UNDER_CLAIMING, "self_below"
    else:
        code, reason = CALIBRATED, "matches"
    text = texts.calibration_reasons[reason].fill([fmt0(claims), fmt0(overall or 0.0), fmt0(abs(mean_gap))])
    return {
        "code": code,
        "label": labels[code],
        "reason": text,
        "mean_self_rating_gap": r1(mean_gap) if gaps else None,
        "dimensions": per_dim,
    }


def _holds(op: int, value: float | None, bound: float) -> bool:
    if value is None:
        return False
    if op == 0:
        return value < bound
    if op == 1:
        return value <= bound
    if op == 2:
        return value >= bound
    return value > bound


def _describe(rule: Rule, i: int, metrics: list[float | None], texts: Texts) -> str:
    metric = rule.metrics[i]
    value = metrics[metric]
    shown = "—" if value is None else fmt0(value)
    return f"{texts.metric_labels[metric]} {shown} {rule.signs[i]}"


def verdict(metrics: list[float | None], compiled: Compiled, texts: Texts) -> dict[str, Any]:
    """Apply the policy's rules in order; explain what held and what kept a better verdict away.

    ``metrics`` holds the value of each of ``app.scoring.compiled.METRICS`` (None where unmeasured).
    """
    failed_better: list[tuple[Rule, list[int]]] = []
    chosen = compiled.rules[-1]
    for rule in compiled.rules:
        failed = [
            i for i in range(len(rule.metrics)) if not _holds(rule.ops[i], metrics[rule.metrics[i]], rule.values[i])
        ]
        if not failed:
            chosen = rule
            break
        failed_better.append((rule, failed))
    reasons = [{"kind": "met", "text": _describe(chosen, i, metrics, texts)} for i in range(len(chosen.metrics))]
    if not chosen.metrics:
        reasons.append({"kind": "met", "text": texts.msgs["verdict_fallback"]})
    seen: set[str] = set()
    for better, failed in failed_better:
        if better.rank >= chosen.rank or better.code in seen:
            continue
        seen.add(better.code)
        text = texts.tpl["verdict_not_reached"].fill(
            [texts.verdict_labels[better.code], "; ".join([_describe(better, i, metrics, texts) for i in failed])]
        )
        reasons.append({"kind": "unmet", "text": text})
    return {"code": chosen.code, "label": texts.verdict_labels[chosen.code], "reasons": reasons}
