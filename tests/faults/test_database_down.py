"""The database goes away: /readyz says 503, writes answer 503 with nothing half-written, and service
resumes by itself when the database is back.

PostgreSQL: a dedicated database stops accepting connections (ALLOW_CONNECTIONS false, which binds
superusers too) and its sessions are terminated; the shared server keeps running. SQLite: the file and
its folder become read-only (as root, whom file modes do not stop, also immutable with chattr).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, event, func, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session, select

from app import schema, startup
from app.apikeys import service as apikeys
from app.audit.models import AuditEvent
from app.candidates.models import Candidate
from app.config import ROOT, Environment, Settings
from app.db import create_db_engine
from app.main import create_app
from app.problems import DATABASE_RETRY_AFTER_SECONDS, database_unavailable
from tests.conftest import TEST_SECRET
from tests.databases import Factory, PostgresServer

pytestmark = pytest.mark.slow


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        candidates = session.exec(select(func.count()).select_from(Candidate)).one()
        entries = session.exec(select(func.count()).select_from(AuditEvent)).one()
        return candidates, entries


def _chattr(flag: str, paths: list[Path]) -> bool:
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, check=False)
    return done.returncode == 0


@contextmanager
def _sqlite_outage(url: str, engine: Engine, *, with_folder: bool = True) -> Iterator[None]:
    path = Path(make_url(url).database or "")
    folder = path.parent
    # Connections opened before the change keep their write access: drop them, as a restart would.
    engine.dispose()
    targets = [path, *[p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]]
    if with_folder:
        targets.append(folder)
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in targets}
    for p in targets:
        p.chmod(0o555 if p.is_dir() else 0o444)
    immutable = False
    try:
        if os.geteuid() == 0:
            immutable = _chattr("+i", targets)
            if not immutable:
                pytest.skip("running as root without chattr: a read-only SQLite file stays writable")
        engine.dispose()
        yield
    finally:
        if immutable:
            _chattr("-i", targets)
        for p, mode in modes.items():
            p.chmod(mode)


@contextmanager
def _postgres_outage(url: str, server: PostgresServer) -> Iterator[None]:
    name = make_url(url).database
    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


@pytest.fixture
def outage(
    fresh_url: str, _postgres_server: PostgresServer | None
) -> Iterator[tuple[str, Engine, Callable[[], AbstractContextManager[None]]]]:
    """Return the database URL, the app's engine, and a function that opens an outage (a context manager)."""
    engine = create_db_engine(fresh_url)

    def make() -> AbstractContextManager[None]:
        if fresh_url.startswith("sqlite"):
            return _sqlite_outage(fresh_url, engine)
        assert _postgres_server is not None
        return _postgres_outage(fresh_url, _postgres_server)

    yield fresh_url, engine, make
    engine.dispose()


def _client(url: str, engine: Engine, tmp_path: Path) -> TestClient:
    settings = Settings(
        environment=Environment.TEST,
        database_url=url,
        secret_key=TEST_SECRET,
        questions_dir=ROOT / "questions",
        data_dir=tmp_path,
    )
    app = create_app(settings, engine=engine, run_startup=False)
    return TestClient(app, base_url="http://testserver", raise_server_exceptions=False)


def _api_key(engine: Engine) -> str:
    with Session(engine) as session:
        _key, secret = apikeys.create_key(session, name="ats", scopes=["read", "write"], actor="test")
        session.commit()
    return secret


def test_database_outage_and_recovery(
    outage: tuple[str, Engine, Callable[[], AbstractContextManager[None]]], tmp_path: Path
) -> None:
    url, engine, make_outage = outage
    secret = _api_key(engine)
    api = {"Authorization": f"Bearer {secret}"}
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"}
    with _client(url, engine, tmp_path) as client:
        assert client.get("/readyz").status_code == 200
        setup_page = client.get(startup.setup_url(client.app.state.settings, ""))  # type: ignore[attr-defined]
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', setup_page.text)
        assert csrf, setup_page.text
        before = _counts(engine)

        with make_outage():
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert ready.headers["content-type"] == "application/problem+json"

            written = client.post("/api/v1/candidates", json=body, headers={**api, "Idempotency-Key": "k-1"})
            assert written.status_code == 503, written.text
            assert written.headers["content-type"] == "application/problem+json"
            assert written.headers["retry-after"] == str(DATABASE_RETRY_AFTER_SECONDS)
            problem = written.json()
            assert (problem["status"], problem["title"]) == (503, "Database unavailable")

            # A person filling in a form gets a page, not JSON, with the same advice.
            phrase = "violet tractor harbour mosaic"
            form = {
                "email": "admin@example.org",
                "password": phrase,
                "password_confirm": phrase,
                "setup_token": startup.setup_token(client.app.state.settings),  # type: ignore[attr-defined]
            }
            page = client.post("/setup", data={**form, "csrf_token": csrf.group(1)})
            assert page.status_code == 503
            assert page.headers["content-type"].startswith("text/html")
            assert page.headers["retry-after"] == str(DATABASE_RETRY_AFTER_SECONDS)

        # Nothing half-written: the failed requests left no row behind.
        assert _counts(engine) == before
        # Back by itself: no restart, the pool replaces its dead connections.
        assert client.get("/readyz").status_code == 200
        retried = client.post("/api/v1/candidates", json=body, headers={**api, "Idempotency-Key": "k-1"})
        assert retried.status_code == 201, retried.text
        assert (
            client.post("/setup", data={**form, "csrf_token": csrf.group(1)}, follow_redirects=False).status_code == 303
        )
        assert _counts(engine)[0] == before[0] + 1


def test_a_failed_commit_is_reported_not_acknowledged(fresh_url: str, tmp_path: Path) -> None:
    """The request's transaction commits before the response: when the commit fails, the client hears 503."""
    engine = create_db_engine(fresh_url)

    def lost_connection(connection: Connection) -> None:
        # The server went away at COMMIT: the transaction is gone, and the driver reports it.
        connection.connection.driver_connection.rollback()  # type: ignore[union-attr]
        raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection unexpectedly"))

    try:
        secret = _api_key(engine)
        before = _counts(engine)
        event.listen(engine, "commit", lost_connection)
        with _client(fresh_url, engine, tmp_path) as client:
            body = {"first_name": "Ada", "last_name": "Lovelace"}
            response = client.post("/api/v1/candidates", json=body, headers={"Authorization": f"Bearer {secret}"})
        event.remove(engine, "commit", lost_connection)
        assert response.status_code == 503, response.text
        assert _counts(engine) == before
    finally:
        engine.dispose()


def test_sqlite_connections_opened_read_only_do_not_outlive_the_outage(new_database: Factory, tmp_path: Path) -> None:
    """With only the file read-only, SQLite still opens it (read-only) and serves reads; once the file is
    writable again, the first write must work: no connection stays read-only in the pool."""
    url = new_database("sqlite")
    schema.upgrade(url)
    engine = create_db_engine(url)
    try:
        secret = _api_key(engine)
        api = {"Authorization": f"Bearer {secret}"}
        with _client(url, engine, tmp_path) as client:
            with _sqlite_outage(url, engine, with_folder=False):
                assert client.get("/readyz").status_code == 503
                # Reads still work on the read-only connection, which goes back into the pool.
                assert client.get(startup.setup_url(client.app.state.settings, ""))  # type: ignore[attr-defined].status_code == 200
                denied = client.post("/api/v1/candidates", json={"first_name": "A", "last_name": "B"}, headers=api)
                assert denied.status_code == 503
            assert client.get("/readyz").status_code == 200
            created = client.post("/api/v1/candidates", json={"first_name": "A", "last_name": "B"}, headers=api)
            assert created.status_code == 201, created.text
    finally:
        engine.dispose()


def test_only_unavailability_becomes_503() -> None:
    """A lost or read-only database is a 503 to retry; a constraint or data error stays a 500 (a bug)."""
    lost = OperationalError("SELECT 1", {}, ConnectionError("connection refused"))
    broken = IntegrityError("INSERT", {}, ValueError("duplicate key"))
    dropped = DBAPIError("SELECT 1", {}, ConnectionError("reset"), connection_invalidated=True)
    assert database_unavailable(lost) and database_unavailable(dropped)
    assert not database_unavailable(broken)
