"""Tenure plausibility: years claimed on a platform against the years it has existed."""

from __future__ import annotations

import datetime as dt
from typing import Final

DAYS_PER_YEAR: Final = 365.2425


def years_between(start: dt.date, end: dt.date) -> float:
    """Return the exact number of years from ``start`` to ``end``."""
    return (end - start).days / DAYS_PER_YEAR


class TenureCheck:
    """One platform's claim against the time the platform had existed on the assessment date."""

    __slots__ = ("platform", "claimed", "possible", "impossible")

    def __init__(self, platform: str, claimed: float, possible: float, impossible: bool) -> None:
        self.platform = platform
        self.claimed = claimed
        self.possible = possible
        """Years the platform had existed on the assessment date."""
        self.impossible = impossible

    def __repr__(self) -> str:
        return f"TenureCheck({self.platform!r}, claimed={self.claimed}, possible={self.possible}, {self.impossible})"


def possible_years(launched: int, on: int, closed: int | None) -> float:
    """Years a platform launched on ordinal day ``launched`` had existed on day ``on`` (until ``closed``)."""
    end = on if closed is None else min(on, closed)
    return max(0.0, (end - launched) / DAYS_PER_YEAR)


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def check_years(
    platform: str, claimed: float, launched: dt.date, on: dt.date, tolerance: float, closed: dt.date | None = None
) -> TenureCheck:
    """A claim of ``claimed`` years is impossible when it exceeds the platform's lifetime so far plus ``tolerance``."""
    possible = possible_years(launched.toordinal(), on.toordinal(), _ordinal(closed))
    return TenureCheck(platform, claimed, possible, claimed > possible + tolerance)


def check_start_year(
    platform: str, year: int, launched: dt.date, on: dt.date, closed: dt.date | None = None
) -> TenureCheck:
    """A start year before the launch year, after the assessment year or after closure is impossible."""
    claimed = float(on.year - year)
    possible = possible_years(launched.toordinal(), on.toordinal(), _ordinal(closed))
    last = on.year if closed is None else min(on.year, closed.year)
    return TenureCheck(platform, claimed, possible, year < launched.year or year > last)
