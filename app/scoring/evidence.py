"""Evidence per dimension and overall, each number with the answers that moved it, and what was observed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.scoring import model as m
from app.scoring.collect import Collected, Contribution
from app.scoring.compiled import DIMENSIONS, Compiled, number


@dataclass(frozen=True, slots=True)
class DimensionScore:
    score: float
    """0-100, rounded to 0.1: the number shown is the number every rule compares."""
    entries: list[tuple[Contribution, float]]
    """Each contribution with its share of the dimension (source weights and item weights applied)."""
    sources: dict[str, float]


def dimension_scores(parts: list[Collected]) -> dict[m.Dimension, DimensionScore | None]:
    """Weighted mean per dimension (None when nothing was observed); sources weigh by the policy."""
    combine = parts[0].compiled.policy.combine
    source_weights = {"self": combine.self_weight, "hr": combine.hr_weight, "referee": combine.referee_weight}
    per_part = [(p.source, p.dims) for p in parts]
    out: dict[m.Dimension, DimensionScore | None] = {}
    for dim in DIMENSIONS:
        # One group per source: several referees share the referees' weight instead of each adding it.
        by_source: dict[str, list[Contribution]] = {}
        for source, dims in per_part:
            if dims[dim]:
                by_source.setdefault(source, []).extend(dims[dim])
        groups = [(source, source_weights.get(source, 1.0), items) for source, items in by_source.items()]
        if not groups:
            out[dim] = None
            continue
        grand = sum(weight for _, weight, _ in groups)
        entries: list[tuple[Contribution, float]] = []
        sources: dict[str, float] = {}
        for source, weight, items in groups:
            total = sum(c.weight for c in items)
            sources[source] = round(100 * sum(c.weight * c.score for c in items) / total, 1)
            # Each source keeps its policy share of the dimension; within it, items share by weight.
            entries += [(c, c.weight * weight / grand / total) for c in items]
        score = 100 * sum(share * c.score for c, share in entries)
        out[dim] = DimensionScore(round(score, 1), entries, sources)
    return out


def overall(dims: dict[m.Dimension, DimensionScore | None], compiled: Compiled) -> float | None:
    """The dimension scores' mean, weighted by ``dimension_weights``; None when nothing was measured."""
    weights = compiled.policy.dimension_weights
    measured = [(weights[d], s.score) for d, s in dims.items() if s is not None]
    if not measured:
        return None
    return round(sum(w * s for w, s in measured) / sum(w for w, _ in measured), 1)


def dimension_json(dim: m.Dimension, ds: DimensionScore | None, compiled: Compiled, lang: str) -> dict[str, Any]:
    label = compiled.dimension_labels[lang][dim]
    if ds is None:
        return {
            "score": None,
            "label": label,
            "explanation": {"summary": compiled.say("dimension_unmeasured", lang), "items": []},
        }
    items = []
    maxima: dict[float, float] = {}  # answers of equal weight have the same maximum: round it once
    for c, share in ds.entries:
        most = maxima.get(share)
        if most is None:
            most = maxima[share] = round(100 * share, 1)
        # Most answers score all or nothing: their points are the rounded maximum or zero.
        points = most if c.score == 1.0 else 0.0 if c.score == 0.0 else round(100 * share * c.score, 1)
        items.append(
            {
                "item": c.item_id,
                "label": c.label,
                "source": c.source,
                "points": points,
                "max_points": most,
                "detail": c.detail,
            }
        )
    summary = compiled.say("dimension_summary", lang, label=label, score=number(ds.score, lang), n=len(items))
    return {
        "score": ds.score,
        "label": label,
        "sources": ds.sources,
        "explanation": {"summary": summary, "items": items},
    }


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of what could be observed was observed: below the policy's bar no verdict is given."""

    observed: int
    observable: int
    measured: list[m.Dimension]
    """Dimensions with enough observed items."""
    missing: list[m.Dimension]
    enough: bool
    reasons: list[str]
    """What is missing, in words, when not enough."""

    def json(self) -> dict[str, Any]:
        return {
            "observed_items": self.observed,
            "observable_items": self.observable,
            "dimensions_measured": self.measured,
            "dimensions_missing": self.missing,
            "sufficient": self.enough,
        }


def coverage(parts: list[Collected], dims: dict[m.Dimension, DimensionScore | None], lang: str) -> Coverage:
    """Check the policy's coverage bar over every part: enough items observed, on enough dimensions.

    ``dims`` are the parts' :func:`dimension_scores`: each lists every contribution to its dimension.
    """
    compiled = parts[0].compiled
    policy = compiled.policy.coverage
    observed = sum(len({c.item_id for c in p.contributions}) for p in parts)
    observable = sum(p.observable for p in parts)
    least = policy.min_items_per_dimension
    measured = [d for d in DIMENSIONS if (found := dims[d]) is not None and len(found.entries) >= least]
    missing = [d for d in DIMENSIONS if d not in measured]
    reasons: list[str] = []
    needed_items = policy.min_observed_share * observable
    if observed < needed_items:
        reasons.append(
            compiled.say("coverage_items", lang, observed=observed, total=observable, needed=number(needed_items, lang))
        )
    if len(measured) < policy.min_dimensions:
        labels = compiled.dimension_labels[lang]
        names = ", ".join(labels[d] for d in missing)
        reasons.append(
            compiled.say(
                "coverage_dimensions", lang, measured=len(measured), needed=policy.min_dimensions, missing=names
            )
        )
    return Coverage(observed, observable, measured, missing, not reasons, reasons)
