"""Rounding and formatting of scores, exactly as Python's ``round`` and ``format`` do it, only faster.

``round(x, 1)`` and ``f"{x:.0f}"`` go through a correctly rounded decimal conversion, which is the
single largest cost of writing a result (about 150 rounded numbers each). Away from a tie (a value
within a hair of ...5) plain float arithmetic gives the same answer, because the product ``x * 10``
is off by far less than that hair for any score-sized number; near a tie, and for huge values, the
builtins decide. A test compares these with the builtins on many values, ties included.
"""

from __future__ import annotations

import math
from typing import Final

# Below 2**20 the error of x * scale is under 2**-32, far inside the 1e-6 guard around ties.
_LIMIT: Final = 1048576.0
_GUARD: Final = 1e-6


def r1(x: float) -> float:
    """``round(x, 1)``, with -0.0 made 0.0 so output is byte-stable."""
    y = x * 10.0
    if -_LIMIT < y < _LIMIT:
        frac = y % 1.0  # in [0, 1), exact; y - frac is the whole number below y, also exact
        if abs(frac - 0.5) > _GUARD:
            return (y - frac + (1.0 if frac > 0.5 else 0.0)) / 10.0 + 0.0
    return round(x, 1) + 0.0


def r4(x: float) -> float:
    """``round(x, 4)``, with -0.0 made 0.0."""
    y = x * 10000.0
    if -_LIMIT < y < _LIMIT:
        frac = y % 1.0
        if abs(frac - 0.5) > _GUARD:
            return (y - frac + (1.0 if frac > 0.5 else 0.0)) / 10000.0 + 0.0
    return round(x, 4) + 0.0


def fmt0(x: float) -> str:
    """``f"{x:.0f}"``: the nearest whole number (ties to even), "-0" for small negatives included."""
    if -_LIMIT < x < _LIMIT:
        low = math.floor(x)
        frac = x - low  # exact: x and low are close enough for the subtraction to be exact
        if frac != 0.5:
            n = low + 1 if frac > 0.5 else low
            if n == 0 and math.copysign(1.0, x) < 0:
                return "-0"
            return str(n)
    return f"{x:.0f}"


def fmt1(x: float) -> str:
    """``f"{x:.1f}"``: one decimal, rounded as format rounds (ties to even on the exact value)."""
    y = x * 10.0
    if -_LIMIT < y < _LIMIT:
        frac = y % 1.0
        if abs(frac - 0.5) > _GUARD:
            n = int(y - frac + (1.0 if frac > 0.5 else 0.0))
            if n < 0:
                return f"-{-n // 10}.{-n % 10}"
            if n == 0 and math.copysign(1.0, x) < 0:
                return "-0.0"
            return f"{n // 10}.{n % 10}"
    return f"{x:.1f}"


def fmt_g(x: float) -> str:
    """``f"{x:g}"``: whole numbers below a million print as integers, the rest as format does."""
    if -1000000.0 < x < 1000000.0 and x == math.floor(x) and x != 0.0:
        return str(int(x))
    return f"{x:g}"
