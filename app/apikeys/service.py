"""Create, find, revoke and rate-limit API keys. The secret is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app.apikeys.models import ApiKey, ApiScope, RateWindow
from app.audit import service as audit
from app.db import utcnow, write_aside
from app.db.lookup import get_or_404
from app.errors import Invalid
from app.inputs import some_of

KEY_PREFIX = "tsk"
# Writing last_used_at on every request would serialise a busy key's requests on one row.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
RATE_WINDOW_SECONDS = 60
# Each process may admit this share of a key's limit before it tells the database (see RequestCounter).
RATE_SLACK = 0.02
# ... and tells it at least this often, so that other processes see a busy key's count.
RATE_SYNC_SECONDS = 1.0


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(values: Iterable[str]) -> list[str]:
    """Return the scopes sorted and deduplicated; an unknown one is Invalid."""
    return some_of(values, (str(s) for s in ApiScope), field="scopes", none_given="give at least one scope")


def create_key(session: Session, *, name: str, scopes: Iterable[str], actor: str) -> tuple[ApiKey, str]:
    """Create a key and return it with the full secret, which is never shown again."""
    name = name.strip()
    if not name or len(name) > 200:
        raise Invalid("name: give a name of 1 to 200 characters", field="name")
    prefix = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(name=name, prefix=prefix, secret_hash=_hash(secret), scopes=parse_scopes(scopes), created_by=actor)
    audit.saved(session, key, actor=actor, action="api_key.created", detail={"name": name, "scopes": key.scopes})
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


@dataclass
class _Cached:
    key: ApiKey
    fetched: float


# Keys found by prefix, per process: a busy ATS sends thousands of requests a minute with the same key.
_known: dict[str, _Cached] = {}
_known_lock = threading.Lock()
# A key revoked in another process stops working here within this many seconds (in this one: at once).
REVOCATION_SECONDS = 2.0
_KNOWN_MAX = 1000


def _find(session: Session, prefix: str) -> ApiKey | None:
    clock = time.monotonic()
    cached = _known.get(prefix)
    if cached is not None and clock - cached.fetched < REVOCATION_SECONDS:
        return cached.key
    found = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if found is None:
        return None
    key = ApiKey(**found.model_dump())  # a copy in no session: shared by requests, read only
    with _known_lock:
        if len(_known) >= _KNOWN_MAX:
            _known.clear()
        _known[prefix] = _Cached(key, clock)
    return key


def forget(prefix: str) -> None:
    """Drop a key from this process's cache (it was revoked or changed)."""
    with _known_lock:
        _known.pop(prefix, None)


def _parts(raw: str) -> list[str] | None:
    parts = raw.strip().split("_", 2)
    # A Basic user name can carry any byte; NUL would make PostgreSQL refuse the lookup outright.
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(raw) > 170 or "\x00" in raw:
        return None
    return parts


def recently_checked(raw: str, now: dt.datetime | None = None) -> ApiKey | None:
    """Return the active key for a presented secret when this process checked it within REVOCATION_SECONDS
    and its last use is recorded to the minute: the common case, answered with no database at all.

    None means only "ask ``authenticate``": the key may be unknown here, stale, revoked or wrongly typed.
    """
    parts = _parts(raw)
    cached = _known.get(parts[1]) if parts else None
    if parts is None or cached is None or time.monotonic() - cached.fetched >= REVOCATION_SECONDS:
        return None
    key = cached.key
    if not hmac.compare_digest(key.secret_hash, _hash(parts[2])) or key.revoked_at is not None:
        return None
    if key.last_used_at is None or (now or utcnow()) - key.last_used_at >= LAST_USED_RESOLUTION:
        return None
    return key


def authenticate(session: Session, raw: str, now: dt.datetime | None = None) -> ApiKey | None:
    """Return the active key for a presented secret, or None; the comparison takes constant time.

    Keys are cached per process for REVOCATION_SECONDS: a revocation takes effect at once in the process
    that made it, and within that time in every other.
    """
    parts = _parts(raw)
    if parts is None:
        return None
    key = _find(session, parts[1])
    # Compare even when no key matched, so timing does not tell whether a prefix exists.
    expected = key.secret_hash if key is not None else _hash("")
    if not hmac.compare_digest(expected, _hash(parts[2])) or key is None or key.revoked_at is not None:
        return None
    now = now or utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        # A short transaction of its own when the request only reads (see app.db.write_aside).
        with write_aside(session) as writer:
            writer.execute(update(ApiKey).where(col(ApiKey.id) == key.id).values(last_used_at=now))
        set_committed_value(key, "last_used_at", now)
    return key


def list_keys(session: Session) -> list[ApiKey]:
    """Return every key, newest first, revoked ones included."""
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.created_at).desc(), col(ApiKey.id).desc())))


def get_key(session: Session, key_id: int) -> ApiKey:
    """Return one key or raise NotFound."""
    return get_or_404(session, ApiKey, key_id, "API key")


def revoke(session: Session, key: ApiKey, *, actor: str) -> None:
    """Stop a key from working at once (kept for the record of what it created)."""
    if key.revoked_at is not None:
        return
    key.revoked_at = utcnow()
    session.add(key)
    forget(key.prefix)
    audit.record(session, key, actor=actor, action="api_key.revoked")
    session.flush()


def _add_hits(session: Session, key_id: int, window: int, hits: int) -> int:
    """Add hits to a key's window in the database and return its new total (one atomic statement)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    counter = col(RateWindow.count)
    statement = (
        insert(RateWindow)
        .values(api_key_id=key_id, window=window, count=hits)
        .on_conflict_do_update(index_elements=["api_key_id", "window"], set_={"count": counter + hits})
        .returning(counter)
    )
    with write_aside(session) as writer:
        return int(writer.execute(statement).scalar_one())


@dataclass
class _Tally:
    window: int
    known: int = 0
    """The key's count in the database at the last sync (every process's hits)."""
    pending: int = 0
    """Hits this process admitted since, not yet in the database."""
    synced_at: float = float("-inf")


class RequestCounter:
    """Counts a process's API requests per key and syncs them to the shared window in the database in batches.

    Writing the count on every request would make every GET a write: on SQLite it queues for the one
    write lock, on PostgreSQL it serialises a busy key's requests on one row. Instead each process
    admits up to RATE_SLACK of the limit on its own estimate (the database count at its last sync plus
    its own hits since) and adds its hits to the database when that allowance is used up, at least every
    RATE_SYNC_SECONDS, and on every request once the estimate is within the allowance of the limit; then
    the database's total decides. With N processes a key can overshoot its limit by at most N x RATE_SLACK
    of the limit in a window; a limit under 1 / RATE_SLACK is counted exactly (every request syncs).
    """

    def __init__(self) -> None:
        self._tallies: dict[int, _Tally] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _within_allowance(tally: _Tally, slack: int, limit: int, clock: float) -> bool:
        return (
            tally.pending <= slack
            and tally.known + tally.pending + slack <= limit
            and clock - tally.synced_at < RATE_SYNC_SECONDS
        )

    def admit(self, key_id: int, limit: int, now: dt.datetime) -> bool:
        """Count one request when this process's own allowance covers it (True), with no database; else
        count nothing (False): the request must go through ``hit``, which syncs."""
        window = int(now.timestamp()) // RATE_WINDOW_SECONDS
        with self._lock:
            tally = self._tallies.get(key_id)
            if tally is None or tally.window != window:
                return False
            tally.pending += 1
            if self._within_allowance(tally, int(limit * RATE_SLACK), limit, time.monotonic()):
                return True
            tally.pending -= 1
            return False

    def hit(self, session: Session, key_id: int, limit: int, now: dt.datetime) -> int | None:
        """Count one request; return the seconds to wait when the key is over its limit, else None."""
        epoch = int(now.timestamp())
        window = epoch // RATE_WINDOW_SECONDS
        clock = time.monotonic()
        with self._lock:
            tally = self._tallies.get(key_id)
            if tally is None or tally.window != window:
                # Hits still pending for an ended window no longer matter: its count limits nothing.
                tally = self._tallies[key_id] = _Tally(window)
            tally.pending += 1
            if self._within_allowance(tally, int(limit * RATE_SLACK), limit, clock):
                return None
            hits, tally.pending = tally.pending, 0
        try:
            total = _add_hits(session, key_id, window, hits)
        except BaseException:
            with self._lock:
                if tally.window == window:
                    tally.pending += hits  # not counted yet: the next sync adds them
            raise
        with self._lock:
            tally.known = max(tally.known, total)
            tally.synced_at = clock
        if total > limit:
            return RATE_WINDOW_SECONDS - epoch % RATE_WINDOW_SECONDS
        return None


def hit_rate_limit(
    session: Session, key: ApiKey, limit: int, now: dt.datetime | None = None, counter: RequestCounter | None = None
) -> int | None:
    """Count one request in the key's current window; return the seconds to wait when over the limit.

    With a counter (one per process, app.state.request_counter) the count reaches the database in
    batches; without one every request is written at once.
    """
    assert key.id is not None
    now = now or utcnow()
    if counter is not None:
        return counter.hit(session, key.id, limit, now)
    epoch = int(now.timestamp())
    window = epoch // RATE_WINDOW_SECONDS
    if _add_hits(session, key.id, window, 1) > limit:
        return RATE_WINDOW_SECONDS - epoch % RATE_WINDOW_SECONDS
    return None


def actor_of(key: ApiKey) -> str:
    """Return how a key appears in the audit log."""
    return f"api-key:{key.id}"
