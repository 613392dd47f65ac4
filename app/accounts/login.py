"""Sign-in with e-mail and password: throttled per e-mail+IP, account and IP; silent about which accounts exist."""

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


# Besides the e-mail+IP pair, an account tried from many addresses and an address trying many accounts are
# locked too, at these multiples of login_max_failures: rotating IPs or spraying one password over many
# accounts no longer escapes the limit, while one mistyping colleague behind a shared NAT does not lock out
# the whole office.
ACCOUNT_FACTOR = 4
IP_FACTOR = 10


def _key(email: str, ip: str) -> str:
    return hashlib.sha256(f"{email.strip().lower()}|{ip}".encode()).hexdigest()


def _throttle_keys(email: str, ip: str, settings: Settings) -> dict[str, int]:
    """Return each throttle key of a sign-in attempt with the failures it allows: pair, account, address."""
    account = hashlib.sha256(f"account|{email.strip().lower()}".encode()).hexdigest()
    address = hashlib.sha256(f"ip|{ip}".encode()).hexdigest()
    limit = settings.login_max_failures
    return {_key(email, ip): limit, account: limit * ACCOUNT_FACTOR, address: limit * IP_FACTOR}


def _check_lock(row: LoginThrottle | None, now: dt.datetime) -> None:
    if row is not None and row.locked_until is not None and row.locked_until > now:
        seconds = max(1, math.ceil((row.locked_until - now).total_seconds()))
        raise Throttled(f"too many failed sign-ins; try again in {seconds} seconds", retry_after=seconds)


def _record_failure(
    session: Session, row: LoginThrottle | None, key: str, now: dt.datetime, settings: Settings, limit: int
) -> None:
    window = dt.timedelta(minutes=settings.login_window_minutes)
    if row is None:
        row = LoginThrottle(key=key, failures=0, first_failure_at=now)
    if now - row.first_failure_at > window:
        row.failures, row.first_failure_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= limit:
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
    limits = _throttle_keys(email, ip, settings)
    rows = {key: session.get(LoginThrottle, key) for key in limits}
    for row in rows.values():
        _check_lock(row, now)
    user = accounts.get_by_email(session, email) if email.strip() else None
    # Verify even for unknown or inactive accounts, so timing does not reveal which addresses exist.
    valid = verify_password(password, user.password_hash if user else _dummy_hash())
    if user is None or not valid or not user.is_active:
        for key, limit in limits.items():
            _record_failure(session, rows[key], key, now, settings, limit)
        audit.record(session, actor="anonymous", action="user.login_failed", detail={"ip": ip})
        raise Unauthorized("the e-mail address or password is not right")
    # Success forgives this address's mistakes on this account only: an attacker's failures against the
    # account from elsewhere, or against other accounts from here, keep counting.
    pair = rows[_key(email, ip)]
    if pair is not None:
        session.delete(pair)
    forget_stale(session, settings, now)
    audit.record(session, user, actor=user.email, action="user.login")
    session.flush()
    return user
