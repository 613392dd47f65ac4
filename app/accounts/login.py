"""Sign-in with e-mail and password: throttled per e-mail and IP, and silent about which accounts exist."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from functools import cache

from sqlalchemy import delete, or_
from sqlmodel import Session, col

from app.accounts import service as accounts
from app.accounts.models import LoginThrottle, User
from app.accounts.passwords import hash_password, verify_password
from app.audit import service as audit
from app.config import Settings
from app.db import utcnow
from app.errors import DomainError, Unauthorized


class Throttled(DomainError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after


@cache
def _dummy_hash() -> str:
    # Verified against when the e-mail is unknown, so both cases cost one argon2 verification.
    return hash_password("touchstone dummy password that matches nothing")


def _key(email: str, ip: str) -> str:
    return hashlib.sha256(f"{email.strip().lower()}|{ip}".encode()).hexdigest()


def _check_lock(row: LoginThrottle | None, now: dt.datetime) -> None:
    if row is not None and row.locked_until is not None and row.locked_until > now:
        seconds = max(1, math.ceil((row.locked_until - now).total_seconds()))
        raise Throttled(f"too many failed sign-ins; try again in {seconds} seconds", retry_after=seconds)


def _record_failure(
    session: Session, row: LoginThrottle | None, key: str, now: dt.datetime, settings: Settings
) -> None:
    window = dt.timedelta(minutes=settings.login_window_minutes)
    if row is None:
        row = LoginThrottle(key=key, failures=0, first_failure_at=now)
    if now - row.first_failure_at > window:
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= settings.login_max_failures:
        row.locked_until = now + window
    session.add(row)
    session.flush()


def forget_stale(session: Session, settings: Settings, now: dt.datetime) -> None:
    """Delete throttle rows whose window and lockout have passed (they would be reset on next use anyway)."""
    cutoff = now - dt.timedelta(minutes=settings.login_window_minutes)
    session.execute(
        delete(LoginThrottle).where(
            col(LoginThrottle.first_failure_at) < cutoff,
            or_(col(LoginThrottle.locked_until).is_(None), col(LoginThrottle.locked_until) < now),
        )
    )


def authenticate(session: Session, email: str, password: str, *, ip: str, settings: Settings) -> User:
    """Return the user for a correct e-mail and password; raise Unauthorized (same text for every cause) or Throttled.

    The caller must commit even when this raises Unauthorized: the failed attempt is what throttling counts.
    """
    now = utcnow()
    key = _key(email, ip)
    row = session.get(LoginThrottle, key)
    _check_lock(row, now)
    user = accounts.get_by_email(session, email) if email.strip() else None
    # Verify even for unknown or inactive accounts, so timing does not reveal which addresses exist.
    valid = verify_password(password, user.password_hash if user else _dummy_hash())
    if user is None or not valid or not user.is_active:
        _record_failure(session, row, key, now, settings)
        audit.record(session, actor="anonymous", action="user.login_failed", detail={"ip": ip})
        raise Unauthorized("the e-mail address or password is not right")
    if row is not None:
        session.delete(row)
    forget_stale(session, settings, now)
    audit.record(session, actor=user.email, action="user.login", object_type="user", object_id=user.id)
    session.flush()
    return user
