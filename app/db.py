"""Engine factory, shared column types and the per-request session (commit on success, roll back on error)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import JSON, Connection, DateTime, Dialect, Engine, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session, SQLModel

logger = logging.getLogger("touchstone.db")

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
# Connections the pool keeps open per SQLite database (more are opened, and closed again, under load).
SQLITE_POOL_SIZE = 20


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
    # Deleted and overwritten content is zeroed in the file, so erased personal data does not linger there.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


# Execution option for connections that only read (probes, GET requests): their SQLite transaction
# begins deferred and takes no write lock.
SQLITE_READ_ONLY = "touchstone_read_only"


class _GatedConnection(sqlite3.Connection):
    """A SQLite connection that holds its database's process-wide write gate while a write transaction is open.

    SQLite admits one writer at a time and makes the others poll for the lock, sleeping up to 100 ms
    between tries; sixteen concurrent writers then spend most of their time asleep. Writers of one
    process queue on a Python lock instead, which wakes the next one the moment COMMIT or ROLLBACK has
    run. Writers in other processes still meet at SQLite's own lock (busy_timeout).
    """

    gate: threading.Lock  # one per database file, set on the subclass made by _gated_factory
    holding: bool = False

    def take_gate(self) -> None:
        # Bounded: a writer that cannot have the gate in time (another connection of this very thread
        # holds it, say) goes on to SQLite's busy_timeout, which says "database is locked" as before.
        if not self.holding:
            self.holding = self.gate.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)

    def open_gate(self) -> None:
        if self.holding:
            self.holding = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.open_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.open_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.open_gate()


_gates: dict[str, type[_GatedConnection]] = {}
_gates_lock = threading.Lock()


def _gated_factory(database: str) -> type[_GatedConnection]:
    """Return the connection class for a database file: every engine of the process on it shares one gate."""
    key = os.path.realpath(database)
    with _gates_lock:
        factory = _gates.get(key)
        if factory is None:
            factory = type("GatedConnection", (_GatedConnection,), {"gate": threading.Lock()})
            _gates[key] = factory
    return factory


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock up front, waiting up to busy_timeout for it. A deferred transaction
    # that reads and then writes fails at once with "database is locked" when another writer committed
    # in between (busy_timeout does not apply to that case), so concurrent autosaves would lose answers.
    # Read-only work (GET requests, probes) begins deferred: in WAL mode it then never waits for a writer.
    if connection.get_execution_options().get(SQLITE_READ_ONLY, False):
        connection.exec_driver_sql("BEGIN")
        return
    dbapi_connection = connection.connection.dbapi_connection
    gated = dbapi_connection if isinstance(dbapi_connection, _GatedConnection) else None
    if gated is not None:
        gated.take_gate()
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        if gated is not None:
            gated.open_gate()
        raise


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
    # Errors and logs never show SQL parameters: they hold names, e-mail addresses and free text.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, **kwargs.pop("connect_args", {})}
        if parsed.database and parsed.database != ":memory:":
            connect_args.setdefault("factory", _gated_factory(parsed.database))
            # Keep a connection for each request the server runs at once: a SQLite connection opened
            # per request costs its PRAGMAs and starts with a cold page cache.
            kwargs.setdefault("pool_size", SQLITE_POOL_SIZE)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
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


# Session.info keys: the session of a GET or HEAD request only reads (READ_ONLY); WRITE_ENGINE is where
# its few unavoidable writes go (write_aside); STRICT makes a write outside write_aside an error.
READ_ONLY = "touchstone_read_only"
WRITE_ENGINE = "touchstone_write_engine"
STRICT = "touchstone_strict_read_only"
_WRITING = "touchstone_writing"
READ_METHODS = frozenset({"GET", "HEAD"})


class ReadOnlyWrite(RuntimeError):
    """A request that only reads (GET, HEAD) wrote in its read transaction instead of through write_aside."""


def read_only_session(engine: Engine, *, strict: bool = False) -> Session:
    """Return a session for work that only reads: on SQLite its transaction begins deferred, so it never
    queues for the write lock; writes it must make go through write_aside."""
    return Session(reader(engine), expire_on_commit=False, info={READ_ONLY: True, WRITE_ENGINE: engine, STRICT: strict})


def is_read_only(session: Session) -> bool:
    """Tell whether session is the read-only session of a GET or HEAD request."""
    return bool(session.info.get(READ_ONLY)) and not session.info.get(_WRITING)


@contextmanager
def write_aside(session: Session) -> Iterator[Session]:
    """Yield a session for the few writes a read-only request cannot avoid (a last-seen time, an audit row).

    For the read-only session of a GET request this is a short transaction of its own on a new connection,
    committed when the block ends: the request's deferred transaction cannot safely turn into a write on
    SQLite, and on PostgreSQL the row locks are held for milliseconds instead of the whole request. Rows
    the block changes are not seen by the request's session (its snapshot is older); copy the values
    that matter into loaded objects with sqlalchemy.orm.attributes.set_committed_value. Any other session
    (a POST request, the CLI, a test's shared session) writes in its own transaction: the block runs on
    it and is flushed.
    """
    engine = session.info.get(WRITE_ENGINE)
    if not session.info.get(READ_ONLY) or session.info.get(_WRITING):
        yield session
        session.flush()
        return
    if engine is None:
        # A read-only session without an engine of its own (a test's shared session) writes in place.
        session.info[_WRITING] = True
        try:
            yield session
            session.flush()
        finally:
            session.info[_WRITING] = False
        return
    with Session(engine, expire_on_commit=False) as aside:
        yield aside
        aside.commit()


def _refuse_write(session: OrmSession, what: str) -> None:
    message = (
        f"a read-only (GET/HEAD) request tried to {what} in its read transaction; "
        "make the write inside app.db.write_aside(session)"
    )
    if session.info.get(STRICT):
        raise ReadOnlyWrite(message)
    # In production the write is tried (it succeeds unless another writer got in first on SQLite).
    logger.warning(message)


@event.listens_for(OrmSession, "do_orm_execute")
def _check_statement(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and is_read_only(state.session):  # type: ignore[arg-type]
        _refuse_write(state.session, f"run {state.statement.__class__.__name__.upper()}")


@event.listens_for(OrmSession, "before_flush")
def _check_flush(session: OrmSession, _context: Any, _instances: Any) -> None:
    if not is_read_only(session):  # type: ignore[arg-type]
        return
    changed = session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)
    if changed:
        _refuse_write(session, "flush changed objects")


async def open_session(request: Request) -> AsyncIterator[Session]:
    """Yield the request's session; it is closed after the response is sent, so a streamed body can still read.

    GET and HEAD requests get a read-only session (see read_only_session and write_aside). Async, so that
    making and closing it costs no trip to the thread pool: neither waits for the database (get_session
    commits or rolls back, in a thread, before this closes it).
    """
    engine = get_engine(request)
    if request.method in READ_METHODS:
        strict = str(request.app.state.settings.environment) != "production"
        with read_only_session(engine, strict=strict) as session:
            yield session
        return
    with Session(engine, expire_on_commit=False) as session:
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
