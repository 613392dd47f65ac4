"""The database layer's locking: SQLite writers queue on a per-file gate, read-only sessions write only aside."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text, update
from sqlmodel import Session, SQLModel, select

import app.models  # noqa: F401 - every table
from app.apikeys.models import ApiKey
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.db import ReadOnlyWrite, _GatedConnection, create_db_engine, read_only_session, reader, write_aside


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _gate(engine: Engine) -> _GatedConnection:
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert isinstance(dbapi, _GatedConnection)
        return dbapi


def _events(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def test_a_write_transaction_holds_the_gate_until_commit_or_rollback(sqlite_engine: Engine) -> None:
    gate = _gate(sqlite_engine).gate
    with sqlite_engine.begin() as connection:
        connection.execute(text("SELECT 1"))
        assert gate.locked()
    assert not gate.locked()
    with Session(sqlite_engine) as session:
        audit.record(session, actor="test", action="test.done")
        assert gate.locked()
        session.rollback()
        assert not gate.locked()
    with Session(sqlite_engine) as session:
        audit.record(session, actor="test", action="test.done")
    # Closed without commit or rollback: the pool's reset rolls back and opens the gate.
    assert not gate.locked()


def test_a_read_only_transaction_does_not_take_the_gate(sqlite_engine: Engine) -> None:
    gate = _gate(sqlite_engine).gate
    with reader(sqlite_engine).connect() as connection:
        connection.execute(text("SELECT 1"))
        assert connection.in_transaction() and not gate.locked()


def test_every_engine_on_one_file_shares_its_gate(sqlite_engine: Engine, tmp_path: Path) -> None:
    other = create_db_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    elsewhere = create_db_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert _gate(other).gate is _gate(sqlite_engine).gate
        assert _gate(elsewhere).gate is not _gate(sqlite_engine).gate
    finally:
        other.dispose()
        elsewhere.dispose()


def test_a_strict_read_only_session_refuses_writes_outside_write_aside(engine: Engine) -> None:
    with read_only_session(engine, strict=True) as session:
        session.add(AuditEvent(actor="test", action="test.refused", detail={}))
        with pytest.raises(ReadOnlyWrite, match="write_aside"):
            session.flush()
        session.rollback()
        with pytest.raises(ReadOnlyWrite, match="write_aside"):
            session.execute(update(ApiKey).values(name="renamed"))


def test_write_aside_commits_at_once_even_when_the_request_rolls_back(sqlite_engine: Engine) -> None:
    before = _events(sqlite_engine)
    with read_only_session(sqlite_engine, strict=True) as session:
        session.exec(select(func.count()).select_from(AuditEvent)).one()  # the read transaction has begun
        audit.record(session, actor="test", action="test.viewed")
        assert _events(sqlite_engine) == before + 1  # committed, seen from another session
        session.rollback()
    assert _events(sqlite_engine) == before + 1


def test_write_aside_writes_in_place_in_a_session_that_may_write(sqlite_engine: Engine) -> None:
    before = _events(sqlite_engine)
    with Session(sqlite_engine) as session:
        with write_aside(session) as writer:
            assert writer is session
        audit.record(session, actor="test", action="test.viewed")
        session.rollback()
    assert _events(sqlite_engine) == before
