"""Engine factory, shared column types and the per-request session (commit on success, roll back on error)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import JSON, Connection, DateTime, Dialect, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, SQLModel

# Stable constraint names let Alembic drop and alter constraints on every backend (SQLite batch mode needs them).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata

# JSON on SQLite, JSONB on PostgreSQL (indexable, compact).
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTimeType(TypeDecorator[dt.datetime]):
    """A timestamp that is stored as UTC and always read back timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; use an aware UTC datetime (app.db.utcnow)")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else as_utc(value)


UTCDateTime = UTCDateTimeType()

# Writers queue for the lock this long (transactions begin IMMEDIATE) before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 5000


def utcnow() -> dt.datetime:
    """Return the current time as a timezone-aware UTC datetime."""
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """Return value as aware UTC; SQLite hands back naive datetimes that were stored as UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin: the module's own
    # handling breaks SAVEPOINTs and transactional DDL.
    dbapi_connection.isolation_level = None
    # WAL lets readers and one writer work at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Execution option for connections that only read (probes): their SQLite transaction takes no write lock.
SQLITE_READ_ONLY = "touchstone_read_only"


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock up front, waiting up to busy_timeout for it. A deferred transaction
    # that reads and then writes fails at once with "database is locked" when another writer committed
    # in between (busy_timeout does not apply to that case), so concurrent autosaves would lose answers.
    read_only = connection.get_execution_options().get(SQLITE_READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def reader(engine: Engine) -> Engine:
    """Return the engine for work that only reads, e.g. a health probe: it never waits for a writer."""
    return engine.execution_options(**{SQLITE_READ_ONLY: True})


# SQLite errors after which a connection cannot write until it is reopened (the file was read-only or gone).
SQLITE_LOST = ("readonly database", "unable to open database file", "disk i/o error")


def _sqlite_lost(context: ExceptionContext) -> None:
    # Treated as a disconnect, the pool drops its connections and the next request opens fresh ones,
    # so writing resumes by itself once the file is writable again.
    if any(text in str(context.original_exception).lower() for text in SQLITE_LOST):
        context.is_disconnect = True


def _reopen_when_writable(engine: Engine, path: Path) -> None:
    # SQLite silently opens a read-only file read-only; such a connection must not outlive the outage.
    def remember(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["writable"] = _unwritable(path) is None

    def check(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if not record.info.get("writable", True) and _unwritable(path) is None:
            raise DisconnectionError(f"{path} is writable again; reconnecting")

    event.listen(engine, "connect", remember)
    event.listen(engine, "checkout", check)


def _unwritable(path: Path) -> Path | None:
    # The folder must be writable too: SQLite creates its -wal and -shm files next to the database.
    for target in (path, path.parent):
        if target.exists() and not os.access(target, os.W_OK):
            return target
    return None


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for a sqlite:// or postgresql+psycopg:// URL with the project's connection setup."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "handle_error", _sqlite_lost)
        if parsed.database and parsed.database != ":memory:":
            _reopen_when_writable(engine, Path(parsed.database))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def sqlite_unwritable_reason(engine: Engine) -> str | None:
    """Return why a file SQLite database cannot be written (file or folder read-only), or None.

    SQLite opens a read-only file without complaint and answers reads, so a probe that only reads
    would call an instance ready that fails every write.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    target = _unwritable(Path(url.database))
    return None if target is None else f"the SQLite database {target} is read-only"


def get_engine(request: Request) -> Engine:
    """Return the engine the application was created with."""
    engine: Engine = request.app.state.engine
    return engine


def open_session(request: Request) -> Iterator[Session]:
    """Yield the request's session; it is closed after the response is sent, so a streamed body can still read."""
    with Session(get_engine(request), expire_on_commit=False) as session:
        yield session


def get_session(session: Annotated[Session, Depends(open_session, scope="request")]) -> Iterator[Session]:
    """Yield the request's session: commit when the handler succeeds, roll back when it raises.

    Declared with scope="function" (app.deps.SessionDep), so the commit happens BEFORE the response is
    sent: a client never hears "saved" for a change that a crash or a failed commit then loses.
    """
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    else:
        session.commit()
