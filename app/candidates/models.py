"""Candidates: applicants for a role, or employees taking an assessment."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class CandidateKind(StrEnum):
    APPLICANT = "applicant"
    EMPLOYEE = "employee"


class CandidateBase(SQLModel):
    role_id: int | None = Field(default=None, foreign_key="role.id", index=True, ondelete="SET NULL")
    first_name: str = Field(min_length=1, max_length=200)
    last_name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320, index=True)
    language: str = Field(default="en", max_length=8)
    kind: CandidateKind = Field(default=CandidateKind.APPLICANT, sa_type=String(16))
    external_ref: str | None = Field(default=None, max_length=200, index=True)


class Candidate(CandidateBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # GDPR: purge after this moment; erased_at marks a candidate whose personal data was removed.
    retention_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    erased_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class CandidateCreate(CandidateBase):
    pass


class CandidatePublic(CandidateBase):
    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    retention_until: dt.datetime | None
