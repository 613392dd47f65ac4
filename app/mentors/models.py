"""Mentors (senior marketing, communication and PR professionals) and who they mentor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import true
from sqlmodel import Field, SQLModel

from app.db import JSONType, StrEnumType, UTCDateTime, utcnow
from app.scoring.model import Discipline


class MentorBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320)
    discipline: Discipline = Field(sa_type=StrEnumType(Discipline, 16))
    years_experience: int = Field(ge=0, le=70)
    languages: list[str] = Field(default_factory=list, sa_type=JSONType)
    capacity: int = Field(default=1, ge=0, le=100)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})


class Mentor(MentorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MentorCreate(MentorBase):
    """A new mentor: at least one place, since a mentor who may take nobody is no mentor (deactivate instead)."""

    capacity: int = Field(default=1, ge=1, le=100)


class MentorAssignment(SQLModel, table=True):
    __tablename__ = "mentor_assignment"

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="mentor.id", index=True, ondelete="CASCADE")
    candidate_id: int = Field(foreign_key="candidate.id", index=True, ondelete="CASCADE")
    # The plan as it stood when assigned: discipline and focus points per gap.
    plan: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    assigned_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    started_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # An assignment counts against the mentor's capacity until it ends.
    ended_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    ended_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
