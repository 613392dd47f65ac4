"""Candidates: applicants for a role, or employees taking an assessment."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final, Literal

from pydantic import field_validator
from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from app.assessments.models import AssessmentStatus
from app.db import StrEnumType, UTCDateTime, utcnow


class CandidateKind(StrEnum):
    APPLICANT = "applicant"
    EMPLOYEE = "employee"


class CandidateBase(SQLModel):
    role_id: int | None = Field(default=None, foreign_key="role.id", index=True, ondelete="SET NULL")
    first_name: str = Field(min_length=1, max_length=200)
    last_name: str = Field(min_length=1, max_length=200)
    # The name the candidate goes by (from an ATS); e-mails greet them with it rather than first_name.
    preferred_name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320, index=True)
    language: str = Field(default="en", max_length=8)
    kind: CandidateKind = Field(default=CandidateKind.APPLICANT, sa_type=StrEnumType(CandidateKind, 16))
    external_ref: str | None = Field(default=None, max_length=200, index=True)


NO_ASSESSMENT: Final = "none"
# A candidate's status is the status of their latest assessment, or "none" before the first one.
CandidateStatus = AssessmentStatus | Literal["none"]
CANDIDATE_STATUSES = (NO_ASSESSMENT, *(s.value for s in AssessmentStatus))


class Candidate(CandidateBase, table=True):
    # Each list filter has an index that ends in the default sort key, so a filtered page is one index range.
    __table_args__ = (
        Index("ix_candidate_updated", "updated_at", "id"),
        Index("ix_candidate_status_updated", "status", "updated_at", "id"),
        Index("ix_candidate_verdict_updated", "verdict", "updated_at", "id"),
        Index("ix_candidate_role_updated", "role_id", "updated_at", "id"),
        Index("ix_candidate_name_key", "name_key", "id"),
        Index("ix_candidate_evidence", "evidence_overall", "id"),
        Index("ix_candidate_claims", "claims_index", "id"),
        Index("ix_candidate_verdict_rank", "verdict_rank", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # GDPR: purge after this moment; erased_at marks a candidate whose personal data was removed.
    retention_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    erased_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The procedure closed (final decision or closed by HR): the retention period runs from here.
    procedure_closed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The candidate's consent to keep their data longer (at most a year after the procedure closes).
    retention_consent_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Summary of the candidate's assessments, kept by candidates.service.refresh_summary so that lists
    # filter and sort on indexed columns instead of joining every assessment and result.
    status: CandidateStatus = Field(
        default=NO_ASSESSMENT, sa_type=String(16), sa_column_kwargs={"server_default": NO_ASSESSMENT}
    )
    verdict: str | None = Field(default=None, max_length=32)
    verdict_rank: int | None = None
    evidence_overall: float | None = None
    claims_index: float | None = None
    # Where verdict and scores come from: "self_test", "hr_assessment" or "combined" (app.reports.headline).
    result_source: str | None = Field(default=None, max_length=16)
    last_activity_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "last first" in lower case: sorting by name is one index scan on every database.
    name_key: str = Field(default="", max_length=401)

    @property
    def addressed_as(self) -> str:
        """The name an e-mail greets the candidate with: the preferred name when given."""
        return self.preferred_name or self.first_name


class CandidateCreate(CandidateBase):
    @field_validator("first_name", "last_name", mode="before")
    @classmethod
    def _trim(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("email", "external_ref", "preferred_name", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value


class CandidateUpdate(SQLModel):
    """A partial change: fields left out (None) keep their value."""

    role_id: int | None = None
    first_name: str | None = Field(default=None, min_length=1, max_length=200)
    last_name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    language: str | None = Field(default=None, max_length=8)
    kind: CandidateKind | None = None
    external_ref: str | None = Field(default=None, max_length=200)

    @field_validator("first_name", "last_name", "email", "external_ref", mode="before")
    @classmethod
    def _trim(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value
