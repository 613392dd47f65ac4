"""Dates as a Dutch reader sees them, written out by hand so that tests do not check Babel against itself."""

from __future__ import annotations

import datetime as dt

DUTCH_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_long(day: dt.date) -> str:
    """Return a date the way Dutch pages print it: 30 november 2026."""
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"
