"""Shared fixtures. Nothing here touches a database unless a test asks for one, so tests/scoring stays pure.

DB-touching tests request `session`, `engine`, `db_url` or `client`; those run once on SQLite and once on
PostgreSQL (TOUCHSTONE_TEST_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test; set it to
"" or "skip" to skip). Each run migrates its own fresh database once and rolls every test back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app import schema
from app.config import ROOT, Environment, Settings
from app.db import READ_METHODS, READ_ONLY, STRICT, create_db_engine, get_session
from app.db.engine import Limits
from app.main import create_app
from tests import databases

# Settings() read anywhere in the test process must not write a development secret into data/.
os.environ.setdefault("TOUCHSTONE_ENVIRONMENT", "test")

BACKENDS = ["sqlite", "postgresql"]
TEST_SECRET = "test-secret-" + "x" * 40


@pytest.fixture(scope="session")
def _postgres_server() -> Iterator[databases.PostgresServer | None]:
    server = databases.PostgresServer.from_env()
    yield server
    if server is not None:
        server.drop_all()


@pytest.fixture(scope="session")
def new_database(
    tmp_path_factory: pytest.TempPathFactory, _postgres_server: databases.PostgresServer | None
) -> databases.Factory:
    """Return a function that creates an empty database of a backend and gives its URL."""

    def create(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'touchstone.db'}"
        if _postgres_server is None:
            pytest.skip(f"PostgreSQL run skipped: {databases.skip_reason()}")
        return _postgres_server.create_database()

    return create


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest, new_database: databases.Factory) -> str:
    """Return the URL of a database migrated to the head, once per backend and test session."""
    url = new_database(request.param)
    schema.upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    # Each test runs in one transaction it rolls back, idle between its requests while the test itself
    # works (a property-based test generates its next case): the production limit of 10 s would end it
    # on a busy machine. The statement and lock limits stay as in production.
    engine = create_db_engine(db_url, Limits(idle_in_transaction=600.0))
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Yield a session whose work is rolled back after the test, commits included (they become savepoints)."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment=Environment.TEST,
        database_url=db_url,
        secret_key=TEST_SECRET,
        questions_dir=ROOT / "questions",
        data_dir=tmp_path,
        max_body_bytes=64 * 1024,
    )


@pytest.fixture
def client(settings: Settings, engine: Engine, session: Session) -> Iterator[TestClient]:
    """Return a test client whose requests share the test's rolled-back session."""
    app = create_app(settings, engine=engine, run_startup=False)

    def shared_session(request: Request) -> Iterator[Session]:
        # As in production, a GET or HEAD request may write only inside app.db.write_aside (here in place,
        # on the shared session); any other write in it fails the test.
        read_only = request.method in READ_METHODS
        session.info.update({READ_ONLY: read_only, STRICT: read_only})
        try:
            yield session
            session.flush()
        finally:
            session.info.update({READ_ONLY: False, STRICT: False})

    app.dependency_overrides[get_session] = shared_session
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as test_client:
        yield test_client


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reason = databases.skip_reason()
    if reason and databases.was_requested():
        terminalreporter.write_line(f"PostgreSQL run skipped: {reason}", yellow=True)
