"""The database layer: SQLite reads take no lock, a write transaction holds the gate only while it writes,
writers queue in order with a bounded wait, read-only sessions write only aside."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, select

import app.models  # noqa: F401 - every table
from app.apikeys.models import ApiKey
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.db import Limits, ReadOnlyWrite, create_db_engine, read_only_session, stuck_writer_reason, write_aside
from app.db.sqlite import GatedConnection, WriteGate, gate_of


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gate.db'}", Limits(busy_timeout=0.5))
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _gate(engine: Engine) -> WriteGate:
    assert engine.url.database
    return gate_of(engine.url.database)


def _events(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def test_reads_take_no_lock_and_the_first_write_takes_the_gate_until_commit(sqlite_engine: Engine) -> None:
    gate = _gate(sqlite_engine)
    with Session(sqlite_engine) as session:
        session.exec(select(func.count()).select_from(AuditEvent)).one()
        dbapi = session.connection().connection.dbapi_connection
        assert isinstance(dbapi, GatedConnection)
        assert not dbapi.in_transaction and gate.held_for() == 0  # reading opened no SQLite transaction
        audit.record(session, actor="test", action="test.done")
        assert dbapi.in_transaction and gate.held_for() > 0
        session.commit()
        assert not dbapi.in_transaction and gate.held_for() == 0
    with Session(sqlite_engine) as session:
        audit.record(session, actor="test", action="test.done")
        session.rollback()
        assert gate.held_for() == 0
    with Session(sqlite_engine) as session:
        audit.record(session, actor="test", action="test.done")
    # Closed without commit or rollback: the pool's reset rolls back and opens the gate.
    assert gate.held_for() == 0
    assert _events(sqlite_engine) == 1


def test_a_writer_waits_a_bounded_time_then_fails_with_database_is_locked(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as holder:
        audit.record(holder, actor="test", action="test.held")
        failure: list[BaseException] = []

        def other() -> None:
            try:
                with Session(sqlite_engine) as session:
                    audit.record(session, actor="test", action="test.waited")
                    session.commit()
            except OperationalError as error:
                failure.append(error)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=30)
        assert failure and "database is locked" in str(failure[0])
        reason = stuck_writer_reason(sqlite_engine, within=0.2)
        assert reason is not None and "held the database" in reason
        holder.rollback()
    assert stuck_writer_reason(sqlite_engine, within=0.2) is None


def test_writers_take_turns_in_arrival_order() -> None:
    gate = WriteGate()
    assert gate.acquire(1)
    order: list[int] = []
    started = [threading.Event() for _ in range(3)]

    def writer(n: int) -> None:
        started[n].set()
        assert gate.acquire(10)
        order.append(n)
        gate.release()

    threads = []
    for n in range(3):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        started[n].wait()
        # Each waiter queues before the next starts (the queue is what is tested, not timing).
        while len(gate._waiting) < n + 1:
            threading.Event().wait(0.001)
        threads.append(thread)
    gate.release()
    for thread in threads:
        thread.join(timeout=10)
    assert order == [0, 1, 2]
    assert gate.held_for() == 0


def test_every_engine_on_one_file_shares_its_gate(sqlite_engine: Engine, tmp_path: Path) -> None:
    other = create_db_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    elsewhere = create_db_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with other.connect() as a, sqlite_engine.connect() as b, elsewhere.connect() as c:
            gates = [type(x.connection.dbapi_connection).gate for x in (a, b, c)]  # type: ignore[union-attr]
        assert gates[0] is gates[1] and gates[2] is not gates[0]
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


def test_postgresql_sessions_carry_the_documented_limits(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL server settings")
    limits = Limits()
    # An engine of its own: the tests' engine waits longer on a test's idle transaction (tests/conftest.py).
    documented = create_db_engine(engine.url.render_as_string(hide_password=False))
    try:
        assert documented.pool.size() == limits.pool_size  # type: ignore[attr-defined]
        with documented.connect() as connection:
            shown = {
                name: connection.execute(text(f"SHOW {name}")).scalar_one()
                for name in ("idle_in_transaction_session_timeout", "lock_timeout", "statement_timeout")
            }
    finally:
        documented.dispose()
    assert shown == {"idle_in_transaction_session_timeout": "10s", "lock_timeout": "5s", "statement_timeout": "30s"}
