"""Norms and reliability for questionnaire authors: pure functions over stored scores."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import variance

MIN_NORM_GROUP = 30


def percentile_rank(value: float, population: Sequence[float], *, min_n: int = MIN_NORM_GROUP) -> float | None:
    """Return PR = 100 * (below + equal / 2) / N, or None while the norm group is smaller than ``min_n``."""
    n = len(population)
    if n < min_n or n == 0:
        return None
    below = sum(1 for v in population if v < value)
    equal = sum(1 for v in population if v == value)
    return 100.0 * (below + 0.5 * equal) / n


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Return alpha = k/(k-1) * (1 - sum of item variances / variance of totals).

    ``rows`` holds one row of item scores per respondent. None when alpha is undefined:
    fewer than two items or respondents, or totals that do not vary.
    """
    if len(rows) < 2:
        return None
    k = len(rows[0])
    if k < 2 or any(len(r) != k for r in rows):
        return None
    item_variances = sum(variance([r[i] for r in rows]) for i in range(k))
    total_variance = variance([sum(r) for r in rows])
    if total_variance == 0:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)
