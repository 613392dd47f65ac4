"""Killing the server between two autosaves loses at most the answer in flight: a real server process,
a real browser-like client, SIGKILL, restart, and the saved answer is still there."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.db import create_db_engine
from tests.live import free_port

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


@contextmanager
def _server(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [str(BIN / "touchstone"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("a") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def test_sigkill_between_autosaves_keeps_the_saved_answer(tmp_path: Path) -> None:
    database = tmp_path / "touchstone.db"
    env = {
        **os.environ,
        "TOUCHSTONE_DATABASE_URL": f"sqlite:///{database}",
        "TOUCHSTONE_ENVIRONMENT": "production",
        "TOUCHSTONE_SECRET_KEY": "crash-test-secret-9f3Kq2Lm8Vz1Xw7Rb4Tn6Hc0",
        "TOUCHSTONE_DATA_DIR": str(tmp_path),
        "TOUCHSTONE_BASE_URL": "http://127.0.0.1",
    }
    migrate = subprocess.run(
        [str(BIN / "touchstone"), "migrate"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"

    with httpx.Client(base_url=base, timeout=10) as browser:
        with _server(env, port, log) as server:
            started = browser.post("/self-test", data={"csrf_token": _csrf(browser.get("/self-test").text)})
            assert started.status_code == 303, started.text
            link = started.headers["location"]
            token = link.rstrip("/").rsplit("/", 1)[-1]
            section = browser.get(link, follow_redirects=True)
            assert section.status_code == 200, section.text
            csrf = _csrf(section.text)
            autosave = f"/t/{token}/s/about_you/autosave"
            first = browser.post(
                autosave,
                data={"csrf_token": csrf, "autosave_item": "self_title", "q.self_title": "pr_professional"},
            )
            assert first.status_code == 200, first.text
            # The second answer never reaches the server: it dies first, without any chance to clean up.
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)
            with pytest.raises(httpx.TransportError):
                browser.post(
                    autosave,
                    data={"csrf_token": csrf, "autosave_item": "profile_title", "q.profile_title": "Head of PR"},
                )

        with _server(env, port, log):
            # The same link resumes with the saved answer, and the next autosave works.
            resumed = browser.get(f"/t/{token}/s/about_you")
            assert resumed.status_code == 200
            assert re.search(r'value="pr_professional"[^>]*checked', resumed.text), "saved answer not shown"
            again = browser.post(
                autosave,
                data={"csrf_token": csrf, "autosave_item": "profile_title", "q.profile_title": "Head of PR"},
            )
            assert again.status_code == 200, again.text

    engine = create_db_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            assessment = session.exec(select(Assessment)).one()
            saved = assessments.answers_of(session, assessment)
            assert saved == {"self_title": "pr_professional", "profile_title": "Head of PR"}
    finally:
        engine.dispose()
