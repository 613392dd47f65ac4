"""Decisions HR records about a candidate; the history is kept, the latest one is current."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from app.db import JSONType, StrEnumType, UTCDateTime, utcnow


class DecisionKind(StrEnum):
    HIRE = "hire"
    HIRE_WITH_MENTOR = "hire_with_mentor"
    HOLD = "hold"
    REJECT = "reject"


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    decision: DecisionKind = Field(sa_type=StrEnumType(DecisionKind, 32))
    # The verdict the combined report recommended when HR decided; null when no result existed yet.
    recommended_verdict: str | None = Field(default=None, max_length=32)
    is_override: bool = False
    reason: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)
    self_test_id: str | None = Field(default=None, foreign_key="assessment.id", ondelete="SET NULL", max_length=64)
    hr_assessment_id: str | None = Field(default=None, foreign_key="assessment.id", ondelete="SET NULL", max_length=64)
    role_assessment_id: str | None = Field(
        default=None, foreign_key="assessment.id", ondelete="SET NULL", max_length=64
    )
    # Headline numbers as HR saw them, so a later re-score or rubric change cannot rewrite history.
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    decided_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
