"""Roles (vacancies) that candidates are assessed for."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class RoleBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    department: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=10_000)
    language: str = Field(default="en", max_length=8)


class Role(RoleBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")


class RoleCreate(RoleBase):
    pass
