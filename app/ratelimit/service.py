"""Sliding-window rate limits: count a client's recent hits in the database, refuse beyond the limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.db import as_utc, utcnow, write_aside
from app.ratelimit.models import RateLimitHit


@dataclass(frozen=True)
class Refused:
    retry_after: int
    """Seconds until the oldest counted hit leaves the window."""


def client_key(secret: str, client: str) -> str:
    """Return the stored form of a client address: a keyed hash, so no address is kept."""
    return hmac.new(secret.encode(), f"ratelimit:{client}".encode(), hashlib.sha256).hexdigest()


def hit(
    session: Session, bucket: str, key: str, *, limit: int, window: dt.timedelta, now: dt.datetime | None = None
) -> Refused | None:
    """Count one request of ``key`` in ``bucket``; return Refused (not counted) when the limit is reached.

    A request that only reads counts in a short transaction of its own (app.db.write_aside), so the
    count and the check happen under the write lock either way.
    """
    with write_aside(session) as writer:
        return _hit(writer, bucket, key, limit=limit, window=window, now=now or utcnow())


def _hit(
    session: Session, bucket: str, key: str, *, limit: int, window: dt.timedelta, now: dt.datetime
) -> Refused | None:
    since = now - window
    # Old hits are useless after the window; deleting them here keeps the table small without a job.
    session.execute(delete(RateLimitHit).where(col(RateLimitHit.created_at) < since))
    recent = session.exec(
        select(func.count(), func.min(RateLimitHit.created_at)).where(
            RateLimitHit.bucket == bucket, RateLimitHit.key_hash == key, col(RateLimitHit.created_at) >= since
        )
    ).one()
    count, oldest = recent
    if count >= limit and oldest is not None:
        wait = (as_utc(oldest) + window - now).total_seconds()
        return Refused(retry_after=max(1, math.ceil(wait)))
    session.add(RateLimitHit(bucket=bucket, key_hash=key, created_at=now))
    session.flush()
    return None
