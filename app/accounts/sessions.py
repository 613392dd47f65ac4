"""Server-side HR sessions: the cookie holds a random token, the database only its hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from app import cookies
from app.accounts.models import User, UserSession
from app.config import Settings
from app.db import utcnow, write_aside

COOKIE = "touchstone_session"
TOKEN_BYTES = 32
# Writing last_seen_at on every request would turn each page view into a write; a minute is precise enough.
TOUCH_INTERVAL = dt.timedelta(seconds=60)


def hash_token(token: str) -> str:
    """Return the stored form of a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(session: Session, user: User, settings: Settings) -> str:
    """Create a session for user and return the cookie token (only its hash is stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    session.add(
        UserSession(
            id=hash_token(token),
            user_id=user.id,  # type: ignore[arg-type]
            created_at=now,
            last_seen_at=now,
            expires_at=now + dt.timedelta(hours=settings.session_absolute_hours),
        )
    )
    user.last_login_at = now
    session.add(user)
    session.flush()
    return token


def resolve(session: Session, token: str | None, settings: Settings) -> User | None:
    """Return the active user behind a session cookie, or None when it is unknown, timed out or deactivated."""
    if not token or len(token) > 200:
        return None
    found = session.get(UserSession, hash_token(token))
    if found is None:
        return None
    now = utcnow()
    idle_limit = found.last_seen_at + dt.timedelta(minutes=settings.session_idle_minutes)
    user = session.get(User, found.user_id)
    # Most requests only read: these writes go in a short transaction of their own (app.db.write_aside).
    if found.expires_at <= now or idle_limit <= now or user is None or not user.is_active:
        with write_aside(session) as writer:
            writer.execute(delete(UserSession).where(col(UserSession.id) == found.id))
        return None
    if now - found.last_seen_at >= TOUCH_INTERVAL:
        with write_aside(session) as writer:
            writer.execute(update(UserSession).where(col(UserSession.id) == found.id).values(last_seen_at=now))
        set_committed_value(found, "last_seen_at", now)
    return user


def end(session: Session, token: str | None) -> None:
    """Delete the session behind a cookie token (sign out); an unknown token is ignored."""
    if token and len(token) <= 200:
        session.execute(delete(UserSession).where(col(UserSession.id) == hash_token(token)))
        session.flush()


def end_others(session: Session, user_id: int, keep_token: str | None) -> int:
    """Delete every session of a user except the one behind keep_token (a password change); return how many."""
    query = delete(UserSession).where(col(UserSession.user_id) == user_id)
    if keep_token:
        query = query.where(col(UserSession.id) != hash_token(keep_token))
    result = session.execute(query)
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


def cookie_name(settings: Settings) -> str:
    """Return the session cookie's name: __Host- prefixed whenever it is Secure (production).

    A __Host- cookie is accepted by browsers only from this very host, Secure, with Path=/ and no Domain:
    a sibling subdomain cannot plant or overwrite it.
    """
    return f"__Host-{COOKIE}" if cookies.secure(settings) else COOKIE


def end_all(session: Session, user_id: int) -> int:
    """Delete every session of a user (deactivation, role change); return how many ended."""
    result = session.execute(delete(UserSession).where(col(UserSession.user_id) == user_id))
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


def purge_expired(session: Session, settings: Settings) -> int:
    """Delete sessions past their absolute or idle limit; return how many."""
    now = utcnow()
    idle_cutoff = now - dt.timedelta(minutes=settings.session_idle_minutes)
    result = session.execute(
        delete(UserSession).where((col(UserSession.expires_at) <= now) | (col(UserSession.last_seen_at) <= idle_cutoff))
    )
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]
