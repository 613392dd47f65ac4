"""Run the Dockerfile's exact CMD outside Docker against a migrated temporary SQLite database."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.config import ROOT
from tests.live import free_port

pytestmark = pytest.mark.slow


def _dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    match = re.search(r"^CMD (\[.*\])\s*$", text, re.MULTILINE)
    assert match, "the Dockerfile has no exec-form CMD"
    command: list[str] = json.loads(match.group(1))
    return command


def test_dockerfile_cmd_is_the_documented_one() -> None:
    assert _dockerfile_cmd() == ["touchstone", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "uv sync --frozen --no-dev" in text
    assert re.search(r"^USER (?!root)", text, re.MULTILINE)


def test_dockerfile_cmd_serves_healthz(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    port = free_port()
    command = _dockerfile_cmd()
    command[0] = str(bin_dir / command[0])
    command[command.index("--port") + 1] = str(port)
    command[command.index("--host") + 1] = "127.0.0.1"
    env = {
        **os.environ,
        "TOUCHSTONE_DATABASE_URL": f"sqlite:///{tmp_path / 'touchstone.db'}",
        "TOUCHSTONE_ENVIRONMENT": "production",
        "TOUCHSTONE_SECRET_KEY": "dockerfile-test-secret-4Gh8Jk2Lp6Qr0St3Uv7W",
        "TOUCHSTONE_BASE_URL": "http://127.0.0.1",
        "TOUCHSTONE_DATA_DIR": str(tmp_path),
        "TOUCHSTONE_FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    migrate = subprocess.run(
        [str(bin_dir / "touchstone"), "migrate"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert migrate.returncode == 0, migrate.stderr

    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # A readiness wait, not a speed check: four workers importing the app on a loaded machine take a while.
        deadline = time.monotonic() + 180
        response = None
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        assert response is not None, (tmp_path / "serve.log").read_text()
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200
        # --proxy-headers: a trusted proxy's X-Forwarded-Proto makes generated links https.
        home = httpx.get(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"}, timeout=5)
        assert f"https://127.0.0.1:{port}/static/" in home.text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
