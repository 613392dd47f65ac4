"""Tenure plausibility: years claimed on a platform against the years it has existed."""

from __future__ import annotations

from typing import Final

DAYS_PER_YEAR: Final = 365.2425
