"""Referees: people a candidate worked with, who confirm (or not) what the candidate claimed.

A referee's answers are an assessment of the reference-check questionnaire (personal link, expiry, one
submission, resume), deliberately not owned by the candidate (``Assessment.candidate_id`` stays empty) so
that a referee's statement never becomes the candidate's own status or verdict. The referee row ties the
two together and follows the candidate's retention and erasure.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import EmailStr, field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, utcnow


class Relation(StrEnum):
    MANAGER = "manager"
    COLLEAGUE = "colleague"
    CLIENT = "client"


class NamedBy(StrEnum):
    """Who named a referee: HR (in the workspace or through the API) or the candidate, when HR allowed it."""

    HR = "hr"
    CANDIDATE = "candidate"


class RefereeStatus(StrEnum):
    """Where a referee is, from their link's assessment: invited, started, completed, expired or revoked."""

    INVITED = "invited"
    STARTED = "started"
    COMPLETED = "completed"
    EXPIRED = "expired"
    REVOKED = "revoked"


class RefereeBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(max_length=320)
    relation: Relation = Field(sa_type=StrEnumType(Relation, 16))
    period: str = Field(min_length=1, max_length=100)
    """When they worked together, as HR noted it ("2021-2024", "since March 2023")."""
    language: str = Field(default="nl", max_length=8)


class Referee(RefereeBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    assessment_id: str | None = Field(
        default=None, foreign_key="assessment.id", index=True, ondelete="SET NULL", max_length=64
    )
    created_by: str = Field(max_length=320)
    named_by: NamedBy = Field(
        default=NamedBy.HR, sa_type=StrEnumType(NamedBy, 16), sa_column_kwargs={"server_default": "hr"}
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The referee read the privacy notice and started (their own consent to what they tell us).
    consented_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A keyed hash of the network address the referee answered from (a fraud signal, never the address).
    network_hash: str | None = Field(default=None, max_length=64)
    erased_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class RefereeCreate(RefereeBase):
    email: EmailStr = Field(max_length=320)

    @field_validator("name", "period", mode="before")
    @classmethod
    def _trim(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("email", mode="after")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in ("nl", "en"):
            raise ValueError(f"'{value}' is not a language Touchstone speaks (nl or en)")
        return value


class ReferenceConsent(SQLModel, table=True):
    """The candidate's consent that referees are contacted and shown the claims they made."""

    __tablename__ = "reference_consent"

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", unique=True, ondelete="CASCADE")
    given_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recorded_by: str = Field(max_length=320)
    """Who recorded it: the HR user who heard the candidate agree."""
    withdrawn_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class CandidateNetwork(SQLModel, table=True):
    """A keyed fingerprint of a network the candidate answered their own link from (app.referees.networks).

    Only compared with the referees' fingerprints (the fraud signal ``candidate_network``); never the address.
    """

    __tablename__ = "candidate_network"
    __table_args__ = (UniqueConstraint("candidate_id", "network_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    network_hash: str = Field(max_length=64)
    seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
