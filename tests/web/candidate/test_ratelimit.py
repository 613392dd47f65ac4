"""The database rate limit: a sliding window per client, shared by every instance, storing no address."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from app.db import utcnow
from app.ratelimit import service as ratelimit
from app.ratelimit.models import RateLimitHit

WINDOW = dt.timedelta(seconds=60)


def test_the_window_slides_and_old_hits_are_removed(session: Session) -> None:
    start = utcnow()
    key = ratelimit.client_key("secret", "203.0.113.7")
    assert "203.0.113.7" not in key and len(key) == 64
    assert ratelimit.hit(session, "b", key, limit=2, window=WINDOW, now=start) is None
    assert ratelimit.hit(session, "b", key, limit=2, window=WINDOW, now=start + dt.timedelta(seconds=10)) is None
    refused = ratelimit.hit(session, "b", key, limit=2, window=WINDOW, now=start + dt.timedelta(seconds=20))
    assert refused is not None and refused.retry_after == 40  # until the first hit leaves the window
    other = ratelimit.client_key("secret", "203.0.113.8")
    assert ratelimit.hit(session, "b", other, limit=2, window=WINDOW, now=start + dt.timedelta(seconds=20)) is None
    assert ratelimit.hit(session, "other-bucket", key, limit=2, window=WINDOW, now=start) is None

    later = start + dt.timedelta(seconds=61)
    assert ratelimit.hit(session, "b", key, limit=2, window=WINDOW, now=later) is None
    remaining = session.exec(select(RateLimitHit)).all()
    assert all(hit.created_at >= later - WINDOW for hit in remaining)  # expired hits were deleted
    assert len(remaining) == 3
