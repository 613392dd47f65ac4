"""Tenure plausibility: years claimed on a platform against the years it has existed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAYS_PER_YEAR = 365.2425


def years_between(start: dt.date, end: dt.date) -> float:
    """Return the exact number of years from ``start`` to ``end``."""
    return (end - start).days / DAYS_PER_YEAR


@dataclass(frozen=True, slots=True)
class TenureCheck:
    platform: str
    claimed: float
    possible: float
    """Years the platform had existed on the assessment date."""
    impossible: bool


def _possible(launched: dt.date, on: dt.date, closed: dt.date | None) -> float:
    end = on if closed is None else min(on, closed)
    return max(0.0, years_between(launched, end))


def check_years(
    platform: str, claimed: float, launched: dt.date, on: dt.date, tolerance: float, closed: dt.date | None = None
) -> TenureCheck:
    """A claim of ``claimed`` years is impossible when it exceeds the platform's lifetime so far plus ``tolerance``."""
    possible = _possible(launched, on, closed)
    return TenureCheck(platform, claimed, possible, claimed > possible + tolerance)


def check_start_year(
    platform: str, year: int, launched: dt.date, on: dt.date, closed: dt.date | None = None
) -> TenureCheck:
    """A start year before the launch year, after the assessment year or after closure is impossible."""
    claimed = float(on.year - year)
    possible = _possible(launched, on, closed)
    last = on.year if closed is None else min(on.year, closed.year)
    return TenureCheck(platform, claimed, possible, year < launched.year or year > last)
