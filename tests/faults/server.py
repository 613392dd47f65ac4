"""A real uvicorn server in a thread, for tests that need real sockets: slow bodies, bursts of clients."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.config import ROOT, Environment, Settings
from app.main import create_app
from tests.conftest import TEST_SECRET


def settings_for(url: str, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        environment=Environment.TEST,
        database_url=url,
        secret_key=TEST_SECRET,
        questions_dir=ROOT / "questions",
        data_dir=tmp_path,
        **extra,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve app on a free loopback port for the block; yield its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def app_server(url: str, engine: Engine, tmp_path: Path, **extra: Any) -> Iterator[str]:
    """Serve the application on engine with settings for url (plus extra); yield its base URL."""
    with serving(create_app(settings_for(url, tmp_path, **extra), engine=engine, run_startup=False)) as base:
        yield base


def invitations(engine: Engine, count: int) -> list[str]:
    """Create count invitation links (consent not given yet) and return their tokens."""
    with Session(engine, expire_on_commit=False) as session:
        tokens = []
        for _ in range(count):
            created = assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.INVITATION, language="en", actor="test"
            )
            assert created.token is not None
            tokens.append(created.token)
        session.commit()
    return tokens


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


class Candidate:
    """One person behind a link, with a browser-like client (cookies kept)."""

    def __init__(self, base: str, token: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=60)
        self.token = token
        self.csrf = ""

    def start(self) -> None:
        consent = self.client.get(f"/t/{self.token}")
        assert consent.status_code == 200, consent.text[:500]
        started = self.client.post(f"/t/{self.token}", data={"csrf_token": csrf_of(consent.text)})
        assert started.status_code == 303, started.text[:500]
        section = self.client.get(f"/t/{self.token}/s/about_you")
        assert section.status_code == 200, section.text[:500]
        self.csrf = csrf_of(section.text)

    def autosave(self, item: str, value: str, section: str = "about_you") -> httpx.Response:
        return self.client.post(
            f"/t/{self.token}/s/{section}/autosave",
            data={"csrf_token": self.csrf, "autosave_item": item, f"q.{item}": value},
        )

    def close(self) -> None:
        self.client.close()
