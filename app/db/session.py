"""The request's session: it begins at first use and ends (commit on success, roll back on error) before
the response is sent. A request that only reads writes only through write_aside.

Request bodies are read before any dependency runs (app.middleware.RequestBodyMiddleware), so a session
never waits for a client. Routes on the hot write path commit themselves as soon as their writes are done,
in the thread that made them, before they render: a write transaction must never wait for a trip to the
event loop or the thread pool, where other requests' CPU work comes first.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
from fastapi import Request
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app.db.engine import get_engine
from app.db.sqlite import GatedConnection

logger = logging.getLogger("touchstone.db")

# Session.info keys: the session of a GET or HEAD request only reads (READ_ONLY); WRITE_ENGINE is where
# its few unavoidable writes go (write_aside); STRICT makes a write outside write_aside an error.
READ_ONLY = "touchstone_read_only"
WRITE_ENGINE = "touchstone_write_engine"
STRICT = "touchstone_strict_read_only"
_WRITING = "touchstone_writing"
READ_METHODS = frozenset({"GET", "HEAD"})

# Ending a transaction has threads of its own: a COMMIT must never queue behind requests that wait for
# the very write lock it is about to release.
_finishers = anyio.CapacityLimiter(8)


class ReadOnlyWrite(RuntimeError):
    """A request that only reads (GET, HEAD) wrote in its read transaction instead of through write_aside."""


def read_only_session(engine: Engine, *, strict: bool = False) -> Session:
    """Return a session for work that only reads; the writes it must make go through write_aside."""
    return Session(engine, expire_on_commit=False, info={READ_ONLY: True, WRITE_ENGINE: engine, STRICT: strict})


def is_read_only(session: Session) -> bool:
    """Tell whether session is the read-only session of a GET or HEAD request."""
    return bool(session.info.get(READ_ONLY)) and not session.info.get(_WRITING)


@contextmanager
def write_aside(session: Session) -> Iterator[Session]:
    """Yield a session for the few writes a read-only request cannot avoid (a last-seen time, an audit row).

    For the read-only session of a GET request this is a short transaction of its own, committed when the
    block ends: the request then holds no lock while it renders. Rows the block changes are not seen by the
    request's session; copy the values that matter into loaded objects with
    sqlalchemy.orm.attributes.set_committed_value. Any other session (a POST request, the CLI, a test's
    shared session) writes in its own transaction: the block runs on it and is flushed.
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
    # In production the write is made; it only holds the write lock longer than it should.
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


def _waits_on_database(session: Session) -> bool:
    """Tell whether ending the session's transaction talks to the database (else it is only bookkeeping)."""
    if not session.in_transaction():
        return False
    try:
        dbapi = session.connection().connection.dbapi_connection
    except SQLAlchemyError:  # the transaction failed: its rollback must reach the database
        return True
    # A SQLite session that only read holds no transaction in SQLite at all (see app.db.sqlite).
    return not isinstance(dbapi, GatedConnection) or dbapi.in_transaction


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Yield the request's session: commit when the handler succeeds, roll back when it raises; closed
    before the response is sent (declared with scope="function": see app.deps.SessionDep).

    Async, so that a request that only read ends its session without a trip to the thread pool.
    """
    engine = get_engine(request)
    if request.method in READ_METHODS:
        strict = str(request.app.state.settings.environment) != "production"
        session = read_only_session(engine, strict=strict)
    else:
        session = Session(engine, expire_on_commit=False)
    try:
        yield session
    except BaseException:
        if _waits_on_database(session):
            await anyio.to_thread.run_sync(session.rollback, limiter=_finishers)
        raise
    else:
        if _waits_on_database(session):
            await anyio.to_thread.run_sync(session.commit, limiter=_finishers)
        elif session.new or session.dirty or session.deleted:
            session.commit()
        # Else there is nothing to commit (a request that only read): closing the session is all it takes.
    finally:
        session.close()
