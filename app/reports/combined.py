"""A candidate's combined result: the parts found and the result scored from them (reports and decisions use it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.assessments.models import Assessment


@dataclass(frozen=True)
class Combined:
    """The parts found for a candidate and the result scored from them (None when nothing is completed)."""

    self_test: Assessment | None
    hr_assessment: Assessment | None
    role_assessment: Assessment | None
    result: dict[str, Any] | None

    @property
    def verdict(self) -> str | None:
        if self.result is None or self.result.get("verdict") is None:
            return None
        return str(self.result["verdict"]["code"])
