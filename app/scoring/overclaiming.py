"""Over-claiming indices from a familiarity list of real items and foils (Paulhus et al., 2003)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

_Z = NormalDist().inv_cdf


def corrected_rate(claims: int, n: int) -> float:
    """Return claims / n, with rates of exactly 0 or 1 moved inwards by the log-linear rule."""
    if n <= 0:
        raise ValueError("a rate needs at least one item")
    if claims in (0, n):
        return (claims + 0.5) / (n + 1)
    return claims / n


@dataclass(frozen=True, slots=True)
class OverclaimingIndices:
    hits: int
    reals: int
    false_alarms: int
    foils: int
    hit_rate: float
    false_alarm_rate: float
    d_prime: float
    c: float
    accuracy: float
    """H - FA."""
    bias: float
    """(H + FA) / 2."""


@lru_cache(maxsize=4096)
def indices(hits: int, reals: int, false_alarms: int, foils: int) -> OverclaimingIndices:
    """Compute H, FA, d' = z(H) - z(FA), c = -(z(H) + z(FA)) / 2 and the two simple indices.

    Cached: a familiarity list has few possible counts, and the inverse normal is slow to compute.
    """
    hit_rate = hits / reals
    fa_rate = false_alarms / foils
    z_h = _Z(corrected_rate(hits, reals))
    z_fa = _Z(corrected_rate(false_alarms, foils))
    return OverclaimingIndices(
        hits=hits,
        reals=reals,
        false_alarms=false_alarms,
        foils=foils,
        hit_rate=hit_rate,
        false_alarm_rate=fa_rate,
        d_prime=z_h - z_fa,
        c=-0.5 * (z_h + z_fa),
        accuracy=hit_rate - fa_rate,
        bias=(hit_rate + fa_rate) / 2,
    )
