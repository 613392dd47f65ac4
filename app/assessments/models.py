"""Assessments: one questionnaire taken (or filled in) once, its answers and its scored result."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, UniqueConstraint, and_, false, or_, true
from sqlmodel import Field, SQLModel, col

from app.db import JSONType, StrEnumType, UTCDateTime, utcnow


class AssessmentStatus(StrEnum):
    CREATED = "created"
    INVITED = "invited"
    STARTED = "started"
    COMPLETED = "completed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


OPEN = (AssessmentStatus.CREATED, AssessmentStatus.INVITED, AssessmentStatus.STARTED)


def status_at(status: AssessmentStatus, expires_at: dt.datetime | None, now: dt.datetime) -> AssessmentStatus:
    """Return the status every reader shows: an open assessment past its expiry is expired.

    The stored status follows later (the worker's expiry pass, or the link opened or answered); a read must
    not wait for it, nor write it (GET requests run in read-only sessions).
    """
    if status in OPEN and expires_at is not None and expires_at <= now:
        return AssessmentStatus.EXPIRED
    return status


def status_is(status: Any, expires_at: Any, wanted: str, now: dt.datetime) -> ColumnElement[bool]:
    """Return the SQL condition that ``status_at`` of these columns is ``wanted`` (the filters of the lists)."""
    status, expires_at = col(status), col(expires_at)
    if wanted == AssessmentStatus.EXPIRED:
        due = and_(status.in_([s.value for s in OPEN]), expires_at.is_not(None), expires_at <= now)
        return or_(status == wanted, due)
    if wanted in OPEN:
        return and_(status == wanted, or_(expires_at.is_(None), expires_at > now))
    return status == wanted


class AssessmentMode(StrEnum):
    ANONYMOUS = "anonymous"
    INVITATION = "invitation"
    HR = "hr"
    API = "api"
    REFEREE = "referee"
    """A referee's statement about a candidate, through the referee's personal link (app.referees)."""


def new_public_id() -> str:
    """Return an unguessable public id for an assessment."""
    return secrets.token_hex(16)


class AssessmentBase(SQLModel):
    # Invitation setting: after submitting, the candidate sees their own feedback (True) or a thank-you page.
    feedback_to_candidate: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # Invitation setting: after submitting, the candidate may name their own referees (app.referees.named).
    candidate_names_referees: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True, ondelete="SET NULL")
    role_id: int | None = Field(default=None, foreign_key="role.id", index=True, ondelete="SET NULL")
    questionnaire_version_id: int = Field(foreign_key="questionnaire_version.id", index=True)
    mode: AssessmentMode = Field(sa_type=StrEnumType(AssessmentMode, 16))
    language: str = Field(default="en", max_length=8)
    expires_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    assessment_date: dt.date = Field(default_factory=lambda: utcnow().date())


class Assessment(AssessmentBase, table=True):
    id: str = Field(default_factory=new_public_id, primary_key=True, max_length=64)
    # Copied from the questionnaire version so a result can always be traced to the exact content scored.
    content_hash: str = Field(max_length=128, index=True)
    status: AssessmentStatus = Field(
        default=AssessmentStatus.CREATED, sa_type=StrEnumType(AssessmentStatus, 16), index=True
    )
    token_hash: str | None = Field(default=None, unique=True, max_length=128)
    started_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Where the person was: the section shown last, so a reopened link resumes exactly there.
    current_section: str | None = Field(default=None, max_length=64)
    # Counts the saves of answers: a submit scores the answers of one revision and closes the assessment
    # only if no save came in between (app.assessments.service.submit).
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # How many times the candidate's referee form was accepted on this link: a form carries the count it was
    # shown with, so a second click or a replayed request creates nothing twice (app.referees.named).
    referees_named: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # How the answers were given (app.assessments.conduct): the seed the options were shuffled with (set when
    # the person starts on the candidate pages; None: the file's order), the time per section and the
    # free-text items that were pasted.
    option_seed: int | None = None
    section_times: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    pasted_items: list[str] | None = Field(default=None, sa_type=JSONType)

    @property
    def status_now(self) -> AssessmentStatus:
        """The status to show: expired once expires_at has passed, before the stored status says so."""
        return status_at(AssessmentStatus(self.status), self.expires_at, utcnow())


class ReplacedLink(SQLModel, table=True):
    """A link that a newer one replaced (a resend): opening it says so, rather than that it is unknown.

    Only the hash is kept, as for the current link; the row goes with its assessment.
    """

    __tablename__ = "replaced_link"

    token_hash: str = Field(primary_key=True, max_length=128)
    assessment_id: str = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE", max_length=64)
    replaced_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Answer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: str = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE", max_length=64)
    item_id: str = Field(max_length=64)
    value: Any = Field(sa_type=JSONType)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Result(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assessment_id: str = Field(foreign_key="assessment.id", unique=True, ondelete="CASCADE", max_length=64)
    content_hash: str = Field(max_length=128)
    engine_version: str = Field(max_length=32)
    language: str = Field(max_length=8)
    result: dict[str, Any] = Field(sa_type=JSONType)
    scored_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Copies of headline numbers so lists and comparisons need not parse the JSON.
    evidence_overall: float | None = None
    claims_index: float | None = None
    verdict: str | None = Field(default=None, max_length=32)
    calibration: str | None = Field(default=None, max_length=32)


class RubricRating(SQLModel, table=True):
    """HR's rubric rating of one free-text answer; it replaces the automatic text evidence for that item."""

    __tablename__ = "rubric_rating"

    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: str = Field(foreign_key="assessment.id", index=True, ondelete="CASCADE", max_length=64)
    item_id: str = Field(max_length=64)
    points: float
    rated_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
