"""Calibration between claims and evidence, and the verdict with the reasons that decided it."""

from __future__ import annotations

from typing import Any

from app.scoring import model as m
from app.scoring.evidence import r1
from app.scoring.policy import Condition, Policy

C = m.Calibration
V = m.Verdict
RANK = {V.READY_TO_LEAD: 0, V.READY_WITH_MENTOR: 1, V.SUPERVISION_ONLY: 2, V.NOT_RECOMMENDED: 3}
_OPS = {"lt": (float.__lt__, "<"), "le": (float.__le__, "≤"), "ge": (float.__ge__, "≥"), "gt": (float.__gt__, ">")}


def _classify(gap: float, margin: float) -> m.Calibration:
    if gap > margin:
        return C.OVER_CLAIMING
    if gap < -margin:
        return C.UNDER_CLAIMING
    return C.CALIBRATED


def calibration(
    evidence: dict[m.Dimension, float | None],
    overall: float | None,
    self_ratings: dict[m.Dimension, float],
    claims: float,
    policy: Policy,
    lang: str,
) -> dict[str, Any]:
    """Compare what a person claims with what they show, overall and per self-rated dimension."""
    cp = policy.calibration
    per_dim: dict[str, Any] = {}
    gaps = []
    for dim in m.DIMENSIONS:
        rating, score = self_ratings.get(dim), evidence.get(dim)
        if rating is None or score is None:
            continue
        gap = rating - score
        gaps.append(gap)
        code = _classify(gap, cp.margin)
        per_dim[dim.value] = {
            "code": code.value,
            "label": cp.labels[code.value].get(lang),
            "self_rating": r1(rating),
            "evidence": r1(score),
            "gap": r1(gap),
        }
    mean_gap = sum(gaps) / len(gaps) if gaps else 0.0
    if overall is None:
        code, reason = C.CALIBRATED, "no_evidence"
    elif claims >= cp.over_claims_index and overall < cp.over_max_evidence:
        code, reason = C.OVER_CLAIMING, "claims_high"
    elif gaps and mean_gap > cp.margin:
        code, reason = C.OVER_CLAIMING, "self_above"
    elif gaps and mean_gap < -cp.margin and claims < cp.under_max_claims_index:
        code, reason = C.UNDER_CLAIMING, "self_below"
    else:
        code, reason = C.CALIBRATED, "matches"
    text = (
        cp.reasons[reason]
        .get(lang)
        .format(claims=f"{claims:.0f}", evidence=f"{overall or 0:.0f}", gap=f"{abs(mean_gap):.0f}")
    )
    return {
        "code": code.value,
        "label": cp.labels[code.value].get(lang),
        "reason": text,
        "mean_self_rating_gap": r1(mean_gap) if gaps else None,
        "dimensions": per_dim,
    }


def _holds(cond: Condition, metrics: dict[str, float | None]) -> bool:
    value = metrics.get(cond.metric)
    if value is None:
        return False
    return _OPS[cond.op][0](float(value), cond.value)


def _describe(cond: Condition, metrics: dict[str, float | None], policy: Policy, lang: str) -> str:
    label = policy.metric_labels[cond.metric].get(lang) if cond.metric in policy.metric_labels else cond.metric
    value = metrics.get(cond.metric)
    shown = "—" if value is None else f"{value:.0f}"
    return f"{label} {shown} {_OPS[cond.op][1]} {cond.value:g}"


def verdict(metrics: dict[str, float | None], policy: Policy, lang: str) -> dict[str, Any]:
    """Apply the policy's rules in order; explain what held and what kept a better verdict away."""
    msgs = policy.messages
    failed_better: list[tuple[m.Verdict, list[Condition]]] = []
    for rule in policy.verdict_rules:
        failed = [c for c in rule.when if not _holds(c, metrics)]
        if not failed:
            chosen = rule
            break
        failed_better.append((rule.verdict, failed))
    reasons = [{"kind": "met", "text": _describe(c, metrics, policy, lang)} for c in chosen.when]
    if not chosen.when:
        reasons.append({"kind": "met", "text": msgs["verdict_fallback"].get(lang)})
    seen: set[m.Verdict] = set()
    for better, conditions in failed_better:
        if RANK[better] >= RANK[chosen.verdict] or better in seen:
            continue
        seen.add(better)
        text = (
            msgs["verdict_not_reached"]
            .get(lang)
            .format(
                verdict=policy.verdict_labels[better].get(lang),
                condition="; ".join(_describe(c, metrics, policy, lang) for c in conditions),
            )
        )
        reasons.append({"kind": "unmet", "text": text})
    return {
        "code": chosen.verdict.value,
        "label": policy.verdict_labels[chosen.verdict].get(lang),
        "reasons": reasons,
    }
