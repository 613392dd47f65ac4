"""Touchstone served over real HTTP on loopback (uvicorn in a thread), for tests that play a real client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from app import schema, startup
from app.config import Environment, Settings
from app.db import create_db_engine
from app.main import create_app
from tests.databases import Factory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, new_database: Factory) -> Iterator[tuple[str, Settings]]:
    """Serve Touchstone on a loopback port with its own database (SQLite, then PostgreSQL)."""
    url = new_database(request.param)
    schema.upgrade(url)
    port = free_port()
    settings = Settings(
        environment=Environment.TEST,
        database_url=url,
        base_url=f"http://127.0.0.1:{port}",
        webhook_allow_private=True,
        secret_key="live-test-" + "y" * 40,
    )
    engine = create_db_engine(url)
    startup.sync_questionnaires(engine, startup.load_questionnaires(settings.questions_dir))
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, engine=engine, run_startup=False), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield settings.base_url, settings
    finally:
        server.should_exit = True
        thread.join(10)
        engine.dispose()
