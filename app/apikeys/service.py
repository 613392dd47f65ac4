"""Create, find, revoke and rate-limit API keys. The secret is shown once; only its SHA-256 is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from app.apikeys.models import ApiKey, ApiScope, RateWindow
from app.audit import service as audit
from app.db import utcnow
from app.errors import Invalid, NotFound

KEY_PREFIX = "tsk"
# Writing last_used_at on every request would serialise a busy key's requests on one row.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
RATE_WINDOW_SECONDS = 60


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(values: Iterable[str]) -> list[str]:
    """Return the scopes sorted and deduplicated; an unknown one is Invalid."""
    known = {str(s) for s in ApiScope}
    scopes = sorted({v.strip() for v in values if v.strip()})
    unknown = [s for s in scopes if s not in known]
    if unknown:
        raise Invalid(f"scopes: {', '.join(unknown)} not known; use {', '.join(sorted(known))}", field="scopes")
    if not scopes:
        raise Invalid("scopes: give at least one scope", field="scopes")
    return scopes


def create_key(session: Session, *, name: str, scopes: Iterable[str], actor: str) -> tuple[ApiKey, str]:
    """Create a key and return it with the full secret, which is never shown again."""
    name = name.strip()
    if not name or len(name) > 200:
        raise Invalid("name: give a name of 1 to 200 characters", field="name")
    prefix = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(name=name, prefix=prefix, secret_hash=_hash(secret), scopes=parse_scopes(scopes), created_by=actor)
    session.add(key)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="api_key.created",
        object_type="api_key",
        object_id=key.id,
        detail={"name": name, "scopes": key.scopes},
    )
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def authenticate(session: Session, raw: str, now: dt.datetime | None = None) -> ApiKey | None:
    """Return the active key for a presented secret, or None; the comparison takes constant time."""
    parts = raw.strip().split("_", 2)
    # A Basic user name can carry any byte; NUL would make PostgreSQL refuse the lookup outright.
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(raw) > 170 or "\x00" in raw:
        return None
    key = session.exec(select(ApiKey).where(ApiKey.prefix == parts[1])).first()
    # Compare even when no key matched, so timing does not tell whether a prefix exists.
    expected = key.secret_hash if key is not None else _hash("")
    if not hmac.compare_digest(expected, _hash(parts[2])) or key is None or key.revoked_at is not None:
        return None
    now = now or utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        key.last_used_at = now
        session.add(key)
        session.flush()
    return key


def list_keys(session: Session) -> list[ApiKey]:
    """Return every key, newest first, revoked ones included."""
    return list(session.exec(select(ApiKey).order_by(col(ApiKey.created_at).desc(), col(ApiKey.id).desc())))


def get_key(session: Session, key_id: int) -> ApiKey:
    """Return one key or raise NotFound."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    return key


def revoke(session: Session, key: ApiKey, *, actor: str) -> None:
    """Stop a key from working at once (kept for the record of what it created)."""
    if key.revoked_at is not None:
        return
    key.revoked_at = utcnow()
    session.add(key)
    audit.record(session, actor=actor, action="api_key.revoked", object_type="api_key", object_id=key.id)
    session.flush()


def hit_rate_limit(session: Session, key: ApiKey, limit: int, now: dt.datetime | None = None) -> int | None:
    """Count one request in the key's current window; return the seconds to wait when over the limit."""
    now = now or utcnow()
    epoch = int(now.timestamp())
    window = epoch // RATE_WINDOW_SECONDS
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    counter = col(RateWindow.count)
    statement = (
        insert(RateWindow)
        .values(api_key_id=key.id, window=window, count=1)
        .on_conflict_do_update(index_elements=["api_key_id", "window"], set_={"count": counter + 1})
        .returning(counter)
    )
    count = session.execute(statement).scalar_one()
    if count > limit:
        return RATE_WINDOW_SECONDS - epoch % RATE_WINDOW_SECONDS
    return None


def actor_of(key: ApiKey) -> str:
    """Return how a key appears in the audit log."""
    return f"api-key:{key.id}"
