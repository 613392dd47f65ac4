"""HR users and their server-side sessions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from app.db import StrEnumType, UTCDateTime, utcnow


class UserRole(StrEnum):
    ADMIN = "admin"
    ASSESSOR = "assessor"
    VIEWER = "viewer"


class UserBase(SQLModel):
    email: str = Field(unique=True, max_length=320)
    role: UserRole = Field(default=UserRole.VIEWER, sa_type=StrEnumType(UserRole, 16))
    is_active: bool = True

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class User(UserBase, table=True):
    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str = Field(max_length=500)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    password_changed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserCreate(UserBase):
    password: str = Field(min_length=12, max_length=1000)


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"

    # The hash of the cookie token: a leaked database does not hand out live sessions.
    id: str = Field(primary_key=True, max_length=128)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per e-mail address and client IP, per account and per IP, kept in the database so
    every instance sees them."""

    __tablename__ = "login_throttle"

    # SHA-256 of "email|ip", "account|email" or "ip|ip": the table holds no readable e-mail addresses or IPs.
    key: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    first_failure_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    locked_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
