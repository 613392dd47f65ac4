"""Rate-limit guessing personal links: an address that opened too many unknown /t/ links is refused for a while.

A link token has 256 bits, so guessing one is hopeless anyway; the limit keeps a scanner from hammering
the database and shows up in the logs as 429s. Only misses are counted, and they are counted in the
database (shared by every worker), keyed by a keyed hash of the address, as for the self-test limit.
While an address is over the limit even a valid link is refused, so a 429 never tells a guess was right.
"""

from __future__ import annotations

import datetime as dt
import math

from fastapi import Request
from sqlalchemy import func
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException

from app.assessments.models import Assessment
from app.assessments.service import hash_token
from app.db import as_utc, utcnow
from app.deps import SessionDep, SettingsDep
from app.errors import NotFound
from app.ratelimit import service as ratelimit
from app.ratelimit.models import RateLimitHit

BUCKET = "link-miss"
MISSES_PER_WINDOW = 20
WINDOW = dt.timedelta(minutes=15)


def _refusal(session: Session, key: str, now: dt.datetime) -> int | None:
    """Return the seconds until the address may try again, or None when it is under the limit."""
    count, oldest = session.exec(
        select(func.count(), func.min(RateLimitHit.created_at)).where(
            RateLimitHit.bucket == BUCKET, RateLimitHit.key_hash == key, col(RateLimitHit.created_at) >= now - WINDOW
        )
    ).one()
    if count < MISSES_PER_WINDOW or oldest is None:
        return None
    return max(1, math.ceil((as_utc(oldest) + WINDOW - now).total_seconds()))


def _known(session: Session, token: str) -> bool:
    if not token or len(token) > 200:
        return False
    return session.exec(select(Assessment.id).where(Assessment.token_hash == hash_token(token))).first() is not None


def guard(request: Request, session: SessionDep, settings: SettingsDep) -> None:
    """Refuse (429) an address over the limit; count and refuse (404) an unknown link."""
    token = str(request.path_params.get("token", ""))
    client = request.client.host if request.client else "unknown"
    key = ratelimit.client_key(settings.secret_key, client)
    now = utcnow()
    wait = _refusal(session, key, now)
    if wait is not None:
        minutes = max(1, math.ceil(wait / 60))
        raise HTTPException(
            429,
            f"Too many unknown links were opened from your address. Please try again in {minutes} minutes.",
            headers={"Retry-After": str(wait)},
        )
    if not _known(session, token):
        ratelimit.hit(session, BUCKET, key, limit=MISSES_PER_WINDOW + 1, window=WINDOW, now=now)
        # Committed here: the NotFound below rolls the request's transaction back, and the miss must stay counted.
        session.commit()
        raise NotFound("this link is not known")
