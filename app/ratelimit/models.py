"""One row per counted request: which limit (bucket), whose (a keyed hash of the client), and when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class RateLimitHit(SQLModel, table=True):
    __tablename__ = "rate_limit_hit"
    __table_args__ = (Index("ix_rate_limit_hit_bucket_key", "bucket", "key_hash", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    bucket: str = Field(max_length=64)
    # HMAC of the client address: enough to count, useless to identify anyone (no IP address is stored).
    key_hash: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
