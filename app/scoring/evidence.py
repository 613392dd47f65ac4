"""Evidence dimensions and the claims index, each with the answers that moved it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.scoring import model as m
from app.scoring.collect import Collected, Contribution, Hit
from app.scoring.policy import Policy

S = m.Signal


def r1(x: float) -> float:
    """Round a 0-100 score for output; ``+ 0.0`` turns -0.0 into 0.0 so output is byte-stable."""
    return round(x, 1) + 0.0


def r4(x: float) -> float:
    return round(x, 4) + 0.0


@dataclass(slots=True)
class DimensionScore:
    score: float | None
    items: list[tuple[float, Contribution]]
    """Each contribution with its share of the dimension (weights normalised across sources)."""
    sources: dict[str, float]


def dimension_scores(parts: Sequence[Collected], policy: Policy) -> dict[m.Dimension, DimensionScore]:
    """Weighted mean per dimension; across sources (self-test, HR) by the policy's source weights."""
    weights = {"self": policy.combine.self_weight, "hr": policy.combine.hr_weight}
    out: dict[m.Dimension, DimensionScore] = {}
    for dim in m.DIMENSIONS:
        per_source: list[tuple[float, float, list[Contribution]]] = []
        sources: dict[str, float] = {}
        for part in parts:
            items = part.dims.get(dim)
            if not items:
                continue
            total = sum([c.weight for c in items])
            sources[part.source] = round(100 * sum([c.weight * c.score for c in items]) / total, 1) + 0.0
            per_source.append((weights.get(part.source, 1.0), total, items))
        if not per_source:
            out[dim] = DimensionScore(None, [], {})
            continue
        grand = sum([w for w, _, _ in per_source])
        # Normalise item weights so each source keeps its policy share of the dimension.
        shares = [(c.weight * w / grand / total, c) for w, total, items in per_source for c in items]
        out[dim] = DimensionScore(100 * sum([w * c.score for w, c in shares]), shares, sources)
    return out


def overall(dims: dict[m.Dimension, DimensionScore], policy: Policy) -> float | None:
    measured = [(policy.dimension_weights[d], s.score) for d, s in dims.items() if s.score is not None]
    if not measured:
        return None
    return sum(w * s for w, s in measured) / sum(w for w, _ in measured)


def dimension_json(dim: m.Dimension, ds: DimensionScore, policy: Policy, lang: str, fmt: Any) -> dict[str, Any]:
    label = policy.dimension_labels[dim].get(lang)
    if ds.score is None:
        return {"score": None, "label": label, "explanation": {"summary": fmt("dimension_unmeasured"), "items": []}}
    items = [
        {
            "item": c.item_id,
            "label": c.label,
            "source": c.source,
            "points": round(100 * w * c.score, 1) + 0.0,
            "max_points": round(100 * w, 1) + 0.0,
            "detail": c.detail,
        }
        for w, c in ds.items
    ]
    summary = fmt("dimension_summary", label=label, score=f"{ds.score:.0f}", n=len(items))
    return {
        "score": r1(ds.score),
        "label": label,
        "sources": ds.sources,
        "explanation": {"summary": summary, "items": items},
    }


@dataclass(slots=True)
class SignalScore:
    signal: m.Signal
    strength: float
    hits: list[Hit]


def signal_strengths(
    parts: Sequence[Collected], policy: Policy, self_excess: float, extra: Sequence[Hit] = ()
) -> dict[m.Signal, SignalScore]:
    """Strength in [0, 1] per signal, from the hits of every part (and ``extra`` hits)."""
    hits: dict[m.Signal, list[Hit]] = {s: [] for s in m.SIGNALS}
    for hit in extra:
        hits[hit.signal].append(hit)
    for part in parts:
        for hit in part.hits:
            hits[hit.signal].append(hit)
    out: dict[m.Signal, SignalScore] = {}
    for signal in m.SIGNALS:
        found = hits[signal]
        if signal is S.FOILS_CLAIMED:
            oc = next((p.overclaiming for p in parts if p.overclaiming is not None), None)
            strength = oc.false_alarm_rate if oc else 0.0
        elif signal is S.IMPOSSIBLE_TENURE:
            n = len(found)
            tp = policy.tenure
            strength = min(1.0, tp.first_claim_strength + tp.each_further_claim * (n - 1)) if n else 0.0
        elif signal is S.BUZZWORD_DENSITY:
            strength = max((p.buzzword_strength for p in parts), default=0.0)
        elif signal is S.SELF_RATING_ABOVE_EVIDENCE:
            strength = min(1.0, self_excess / policy.self_rating.full_at)
        else:
            strength = min(1.0, len(found) * policy.signals[signal].per_hit)
        out[signal] = SignalScore(signal, strength, found)
    return out


def _hazard(weight: float, strength: float) -> float:
    return -math.log(1.0 - min(weight * strength, 0.999999))


def claims_index(strengths: dict[m.Signal, SignalScore], policy: Policy) -> float:
    """100 * (1 - product of (1 - weight * strength)): each signal adds, none can pass 100 alone."""
    remaining = 1.0
    for signal, s in strengths.items():
        remaining *= 1.0 - policy.signals[signal].weight * s.strength
    return 100.0 * (1.0 - remaining)


def claims_json(
    strengths: dict[m.Signal, SignalScore], index: float, policy: Policy, lang: str, fmt: Any
) -> dict[str, Any]:
    # Share the index out in proportion to each signal's -log(1 - weight * strength): the shares
    # add up to the index exactly, which a marginal "index without this signal" would not.
    hazards = {sig: _hazard(policy.signals[sig].weight, s.strength) for sig, s in strengths.items() if s.strength > 0}
    total = sum(hazards.values())
    fired: list[dict[str, Any]] = []
    for signal, hazard in hazards.items():
        s = strengths[signal]
        sp = policy.signals[signal]
        details = [h.detail for h in s.hits]
        fired.append(
            {
                "code": signal.value,
                "label": sp.label.get(lang),
                "strength": r4(s.strength),
                "contribution": r1(index * hazard / total),
                "reason": sp.reason.get(lang).format(detail="; ".join(details)),
                "answers": [{"item": h.item_id, "detail": h.detail} for h in s.hits],
            }
        )
    fired.sort(key=lambda f: (-f["contribution"], f["code"]))
    summary = fmt("claims_summary", index=f"{index:.0f}", n=len(fired))
    return {"index": r1(index), "signals": fired, "explanation": {"summary": summary}}
