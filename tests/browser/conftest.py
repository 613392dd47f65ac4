"""Browser tests: a real server in a subprocess, driven by the system Chromium through Playwright.

The server is started like `touchstone serve` (migrated temporary SQLite database, question bank loaded).
Without Chromium or Playwright the tests are skipped with the reason, except in CI (CI=true): there a
missing browser fails the run, so a broken set-up can never pass silently.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import ROOT
from tests.live import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SECRET = "browser-test-secret-" + "x" * 40


def unavailable(reason: str) -> None:
    """Skip the browser tests, or fail them in CI, where a missing browser is a broken set-up."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test server exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the test server did not become ready in {timeout:.0f}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Return the environment of the live server: test mode, a temporary SQLite database, a fixed secret."""
    data = tmp_path_factory.mktemp("live")
    return {
        **os.environ,
        "TOUCHSTONE_ENVIRONMENT": "test",
        "TOUCHSTONE_DATABASE_URL": f"sqlite:///{data / 'touchstone.db'}",
        "TOUCHSTONE_SECRET_KEY": SECRET,
        "TOUCHSTONE_DATA_DIR": str(data),
        "TOUCHSTONE_LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
def live_server(server_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the application on a free port and return its base URL; stop it after the session.

    `serve` loads the question bank itself before it listens, exactly as in production.
    """
    command = [sys.executable, "-m", "app"]
    subprocess.run([*command, "migrate"], env=server_env, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("live-log") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=server_env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch the system Chromium once per session (headless)."""
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        unavailable(f"{CHROMIUM} is missing (run scripts/ensure-chromium as root, or apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (it is a dev dependency: run `make install`)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class CspWatcher:
    """Collect Content-Security-Policy violations the page reports on the console."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def __call__(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def context(browser: Any, live_server: str) -> Iterator[Any]:
    """Return a fresh browser context (own cookies) pointed at the live server, in English."""
    ctx = browser.new_context(base_url=live_server, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """Return a new page; the test fails if the page broke the Content-Security-Policy."""
    new_page = context.new_page()
    watcher = CspWatcher()
    new_page.on("console", watcher)
    yield new_page
    assert watcher.violations == [], f"Content-Security-Policy violations: {watcher.violations}"


def assert_accessible(page: Any, *, context: str = "") -> None:
    """Run axe-core on the page and fail on serious or critical violations (WCAG 2.x A/AA rules)."""
    # Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not block it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate("source => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => await window.axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], f"accessibility violations on {context or page.url}: {serious}"


def create_admin(server_env: dict[str, str], email: str, password: str) -> None:
    """Add an administrator from the command line, as an operator would (an existing one is left as it is)."""
    subprocess.run(
        [sys.executable, "-m", "app", "create-user", email, "--role", "admin"],
        input=f"{password}\n".encode(),
        env=server_env,
        cwd=ROOT,
        check=False,
        capture_output=True,
    )
