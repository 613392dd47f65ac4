"""Rounding and formatting of scores, exactly as Python's ``round`` and ``format`` do it, only faster.

``round(x, 1)`` and ``f"{x:.0f}"`` go through a correctly rounded decimal conversion, which is the
single largest cost of writing a result (about 150 rounded numbers each). Away from a tie (a value
within a hair of ...5) plain float arithmetic gives the same answer, because the product ``x * 10``
is off by far less than that hair for any score-sized number. Exact ties are common (a quarter of a
point is a tie at one decimal) and are rounded half to even, as the builtins do; a value that is only
near a tie, and a huge value, goes to the builtins. A test compares these with the builtins on many
values, ties included.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

# Below 2**20 the error of x * scale is under 2**-32, far inside the 1e-6 guard around ties.
_LIMIT: Final = 1048576.0
_GUARD: Final = 1e-6
# What _scaled returns when only the builtin can say (a float, so compiled code needs no boxing).
_UNSURE: Final = math.inf


def _scaled(x: float, scale: float, exact: float) -> float:
    """``x * scale`` rounded to a whole number as ``round`` would, or ``_UNSURE`` when only the builtin knows.

    ``exact`` is the power of two that makes the ties at this scale whole numbers: a binary fraction
    lies exactly halfway between two decimals only when it is an odd multiple of ``1 / exact``
    (1/4 at one decimal, 1/32 at four).
    """
    y = x * scale
    if not -_LIMIT < y < _LIMIT:
        return _UNSURE
    n = math.floor(y)
    frac = y - n  # exact: y and its floor are within 1 of each other
    if frac > 0.5 + _GUARD:
        return n + 1.0
    if frac < 0.5 - _GUARD:
        return n + 0.0
    if frac == 0.5 and x * exact == math.floor(x * exact):
        return n + 1.0 if n % 2 else n + 0.0  # an exact tie: half to even
    return _UNSURE


def r1(x: float) -> float:
    """``round(x, 1)``, with -0.0 made 0.0 so output is byte-stable."""
    n = _scaled(x, 10.0, 4.0)
    if n == _UNSURE:
        return round(x, 1) + 0.0
    return n / 10.0 + 0.0


def r4(x: float) -> float:
    """``round(x, 4)``, with -0.0 made 0.0."""
    n = _scaled(x, 10000.0, 32.0)
    if n == _UNSURE:
        return round(x, 4) + 0.0
    return n / 10000.0 + 0.0


def fmt0(x: float) -> str:
    """``f"{x:.0f}"``: the nearest whole number (ties to even), "-0" for small negatives included."""
    if -_LIMIT < x < _LIMIT:
        low = math.floor(x)
        frac = x - low  # exact
        n = low + 1 if frac > 0.5 or (frac == 0.5 and low % 2) else low  # exact ties go to the even side
        if n == 0 and math.copysign(1.0, x) < 0:
            return "-0"
        return str(n)
    return f"{x:.0f}"


def fmt1(x: float) -> str:
    """``f"{x:.1f}"``: one decimal, rounded as format rounds (ties to even on the exact value)."""
    scaled = _scaled(x, 10.0, 4.0)
    if scaled == _UNSURE:
        return f"{x:.1f}"
    n = int(scaled)
    if n < 0:
        return f"-{-n // 10}.{-n % 10}"
    if n == 0 and math.copysign(1.0, x) < 0:
        return "-0.0"
    return f"{n // 10}.{n % 10}"


def fmt_g(x: float) -> str:
    """``f"{x:g}"``: whole numbers below a million print as integers, the rest as format does."""
    if -1000000.0 < x < 1000000.0 and x == math.floor(x) and x != 0.0:
        return str(int(x))
    return f"{x:g}"


_TWO_DIGITS: Final = [f"{n:02d}" for n in range(100)]


def iso_date(day: dt.date) -> str:
    """``day.isoformat()`` without the C-level printf it goes through."""
    year = day.year
    if year < 1000:
        return day.isoformat()
    return f"{year}-{_TWO_DIGITS[day.month]}-{_TWO_DIGITS[day.day]}"
