"""Evidence dimensions and the claims index, each with the answers that moved it."""

from __future__ import annotations

import math
from typing import Any, Final

from app.scoring import model as m
from app.scoring.collect import (
    BUZZWORD_DENSITY,
    FOILS_CLAIMED,
    IMPOSSIBLE_TENURE,
    SELF_RATING_ABOVE_EVIDENCE,
    Collected,
    Contribution,
    Hit,
)
from app.scoring.compiled import Compiled, Texts
from app.scoring.numbers import fmt0, r1, r4

_DIMENSION_CODES: Final = [d.value for d in m.DIMENSIONS]
_SIGNAL_CODES: Final = [s.value for s in m.SIGNALS]
_SIGNAL_COUNT: Final = len(m.SIGNALS)


class DimensionScore:
    """One dimension's score and the contributions behind it, each with its share of the dimension."""

    __slots__ = ("score", "shares", "items", "sources")

    def __init__(self, score: float, shares: list[float], items: list[Contribution], sources: dict[str, float]) -> None:
        self.score = score
        self.shares = shares
        """Each contribution's weight as a share of the dimension (weights normalised across sources)."""
        self.items = items
        self.sources = sources


def dimension_scores(parts: list[Collected], compiled: Compiled) -> list[DimensionScore | None]:
    """Weighted mean per dimension (None when unmeasured); across sources by the policy's source weights."""
    out: list[DimensionScore | None] = []
    for dim in range(len(_DIMENSION_CODES)):
        source_weights: list[float] = []
        totals: list[float] = []
        groups: list[list[Contribution]] = []
        sources: dict[str, float] = {}
        for part in parts:
            items = part.dims[dim]
            if not items:
                continue
            total = 0.0
            earned = 0.0
            for c in items:
                total += c.weight
            for c in items:
                earned += c.weight * c.score
            sources[part.source] = r1(100 * earned / total)
            if part.source == "self":
                source_weights.append(compiled.self_weight)
            elif part.source == "hr":
                source_weights.append(compiled.hr_weight)
            else:
                source_weights.append(1.0)
            totals.append(total)
            groups.append(items)
        if not groups:
            out.append(None)
            continue
        grand = 0.0
        for w in source_weights:
            grand += w
        # Normalise item weights so each source keeps its policy share of the dimension.
        shares: list[float] = []
        contributions: list[Contribution] = []
        score = 0.0
        for g in range(len(groups)):
            w = source_weights[g]
            total = totals[g]
            for c in groups[g]:
                share = c.weight * w / grand / total
                shares.append(share)
                contributions.append(c)
                score += share * c.score
        out.append(DimensionScore(100 * score, shares, contributions, sources))
    return out


def overall(dims: list[DimensionScore | None], compiled: Compiled) -> float | None:
    weights = compiled.dimension_weights
    weighted = 0.0
    total = 0.0
    measured = False
    for i, ds in enumerate(dims):
        if ds is not None:
            measured = True
            weighted += weights[i] * ds.score
            total += weights[i]
    return weighted / total if measured else None


def dimension_json(dim: int, ds: DimensionScore | None, texts: Texts) -> dict[str, Any]:
    label = texts.dimension_labels[dim]
    if ds is None:
        return {
            "score": None,
            "label": label,
            "explanation": {"summary": texts.msgs["dimension_unmeasured"], "items": []},
        }
    shares = ds.shares
    contributions = ds.items
    items: list[dict[str, Any]] = []
    for i in range(len(contributions)):
        c = contributions[i]
        w = shares[i]
        entry = c.entry.copy()
        entry["points"] = r1(100 * w * c.score)
        entry["max_points"] = r1(100 * w)
        entry["detail"] = c.detail
        items.append(entry)
    summary = texts.tpl["dimension_summary"].fill([label, fmt0(ds.score), str(len(items))])
    return {
        "score": r1(ds.score),
        "label": label,
        "sources": ds.sources,
        "explanation": {"summary": summary, "items": items},
    }


def signal_strengths(
    parts: list[Collected], compiled: Compiled, self_excess: float, extra: list[Hit]
) -> tuple[list[float], list[list[Hit]]]:
    """Strength in [0, 1] per signal (indexed like ``model.SIGNALS``) and the hits behind each."""
    hits: list[list[Hit]] = [[] for _ in range(_SIGNAL_COUNT)]
    for hit in extra:
        hits[hit.code].append(hit)
    for part in parts:
        for hit in part.hits:
            hits[hit.code].append(hit)
    per_hit = compiled.signal_per_hit
    strengths: list[float] = []
    for signal in range(_SIGNAL_COUNT):
        n = len(hits[signal])
        if signal == FOILS_CLAIMED:
            strength = 0.0
            for p in parts:
                if p.overclaiming is not None:
                    strength = p.overclaiming.false_alarm_rate
                    break
        elif signal == IMPOSSIBLE_TENURE:
            strength = min(1.0, compiled.first_claim_strength + compiled.each_further_claim * (n - 1)) if n else 0.0
        elif signal == BUZZWORD_DENSITY:
            strength = 0.0
            for p in parts:
                strength = max(strength, p.buzzword_strength)
        elif signal == SELF_RATING_ABOVE_EVIDENCE:
            strength = min(1.0, self_excess / compiled.self_rating_full_at)
        else:
            strength = min(1.0, n * per_hit[signal])
        strengths.append(strength)
    return strengths, hits


def claims_index(strengths: list[float], compiled: Compiled) -> float:
    """100 * (1 - product of (1 - weight * strength)): each signal adds, none can pass 100 alone."""
    weights = compiled.signal_weights
    remaining = 1.0
    for i, strength in enumerate(strengths):
        remaining *= 1.0 - weights[i] * strength
    return 100.0 * (1.0 - remaining)


def claims_json(
    strengths: list[float], hits: list[list[Hit]], index: float, compiled: Compiled, texts: Texts
) -> dict[str, Any]:
    # Share the index out in proportion to each signal's -log(1 - weight * strength): the shares
    # add up to the index exactly, which a marginal "index without this signal" would not.
    weights = compiled.signal_weights
    fired_signals: list[int] = []
    hazards: list[float] = []
    total = 0.0
    for i, strength in enumerate(strengths):
        if strength > 0:
            hazard = -math.log(1.0 - min(weights[i] * strength, 0.999999))
            fired_signals.append(i)
            hazards.append(hazard)
            total += hazard
    # Largest contribution first, then by code: sort plain tuples, not the finished dicts.
    order: list[tuple[float, str, int]] = []
    for f in range(len(fired_signals)):
        signal = fired_signals[f]
        order.append((-r1(index * hazards[f] / total), _SIGNAL_CODES[signal], signal))
    order.sort()
    fired: list[dict[str, Any]] = []
    for negative, code, signal in order:
        found = hits[signal]
        details = [h.detail for h in found]
        fired.append(
            {
                "code": code,
                "label": texts.signal_labels[signal],
                "strength": r4(strengths[signal]),
                "contribution": -negative + 0.0,
                "reason": texts.signal_reasons[signal].fill(["; ".join(details)]),
                "answers": [{"item": h.item_id, "detail": h.detail} for h in found],
            }
        )
    summary = texts.tpl["claims_summary"].fill([fmt0(index), str(len(fired))])
    return {"index": r1(index), "signals": fired, "explanation": {"summary": summary}}
