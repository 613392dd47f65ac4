"""Rate-limit guessing personal links: an address that opened too many unknown /t/ links is refused for a while.

A link token has 256 bits, so guessing one is hopeless anyway; the limit keeps a scanner from hammering
the database and shows up in the logs as 429s. Only misses are counted, and they are counted in the
database (shared by every worker), keyed by a keyed hash of the address, as for the self-test limit.
While an address is over the limit even a valid link is refused, so a 429 never tells a guess was right.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time

from fastapi import Request
from sqlalchemy import func
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.config import Settings
from app.db import as_utc, utcnow
from app.deps import SessionDep
from app.errors import NotFound
from app.ratelimit import service as ratelimit
from app.ratelimit.models import RateLimitHit

BUCKET = "link-miss"
MISSES_PER_WINDOW = 20
WINDOW = dt.timedelta(minutes=15)
# An address with no misses at all is not asked about again for this long (misses of this process count
# at once; those of other processes after at most this).
CLEAR_SECONDS = 1.0
_clear: dict[str, float] = {}
_clear_lock = threading.Lock()
_CLEAR_MAX = 10_000


def _cleared(key: str) -> bool:
    return time.monotonic() - _clear.get(key, -CLEAR_SECONDS) < CLEAR_SECONDS


def _refusal(session: Session, key: str, now: dt.datetime) -> int | None:
    """Return the seconds until the address may try again, or None when it is under the limit."""
    count, oldest = session.exec(
        select(func.count(), func.min(RateLimitHit.created_at)).where(
            RateLimitHit.bucket == BUCKET, RateLimitHit.key_hash == key, col(RateLimitHit.created_at) >= now - WINDOW
        )
    ).one()
    if count < MISSES_PER_WINDOW or oldest is None:
        if count == 0:
            with _clear_lock:
                if len(_clear) >= _CLEAR_MAX:
                    _clear.clear()
                _clear[key] = time.monotonic()
        return None
    return max(1, math.ceil((as_utc(oldest) + WINDOW - now).total_seconds()))


def _client_key(request: Request, settings: Settings) -> str:
    client = request.client.host if request.client else "unknown"
    return ratelimit.client_key(settings.secret_key, client)


async def guard(request: Request, session: SessionDep) -> None:
    """Refuse (429) an address over the limit (misses are counted where a link is looked up: by_token)."""
    # The settings from the application, not a dependency: each dependency costs every page its resolution.
    key = _client_key(request, request.app.state.settings)
    if _cleared(key):
        return  # async, so that the common case costs no trip to the thread pool
    wait = await run_in_threadpool(_refusal, session, key, utcnow())
    if wait is not None:
        minutes = max(1, math.ceil(wait / 60))
        raise HTTPException(
            429,
            f"Too many unknown links were opened from your address. Please try again in {minutes} minutes.",
            headers={"Retry-After": str(wait)},
        )


def by_token(request: Request, session: Session, token: str) -> Assessment:
    """Find the assessment behind a link (assessments.by_token), counting an unknown link as a miss."""
    try:
        return assessments.by_token(session, token)
    except NotFound:
        settings: Settings = request.app.state.settings
        key = _client_key(request, settings)
        with _clear_lock:
            _clear.pop(key, None)
        ratelimit.hit(session, BUCKET, key, limit=MISSES_PER_WINDOW + 1, window=WINDOW, now=utcnow())
        # Committed here: the NotFound rolls the request's transaction back, and the miss must stay counted.
        session.commit()
        raise
