"""The trust boundary: which proxies and hosts are believed, HSTS, and logs that hold no links or SQL values."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.config import ROOT, Environment, Settings
from app.main import create_app
from app.middleware import loggable_path

PRODUCTION_SECRET = "a-production-secret-" + "k" * 40


def test_the_docker_image_trusts_no_forwarded_header_by_default() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert not re.search(r"FORWARDED_ALLOW_IPS\s*=\s*\*", dockerfile)
    assert Settings(environment=Environment.TEST).forwarded_allow_ips == "127.0.0.1"


@pytest.mark.parametrize(("trusted", "expected"), [("127.0.0.1", "203.0.113.9"), ("203.0.113.9", "198.51.100.77")])
def test_x_forwarded_for_counts_only_from_a_configured_proxy(trusted: str, expected: str) -> None:
    """The serve command hands forwarded_allow_ips to uvicorn's proxy middleware: others cannot pick an address."""
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(Request(scope).client.host)  # type: ignore[union-attr]
        await PlainTextResponse("ok")(scope, receive, send)

    guarded = ProxyHeadersMiddleware(app, trusted_hosts=trusted)
    client = TestClient(guarded, client=("203.0.113.9", 50000))  # no lifespan: the stand-in app serves http only
    assert client.get("/hr/login", headers={"X-Forwarded-For": "198.51.100.77"}).status_code == 200
    assert seen == [expected]


def test_the_access_log_names_candidate_links_by_a_short_hash(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = "xs7JYgYz73EkQxbZe57QdM8eacC__4UhafFNamfYcVE"
    with caplog.at_level(logging.INFO, logger="touchstone.access"):
        client.get(f"/t/{token}")
        client.get(f"/t/{token}/s/about_you")
    lines = [r for r in caplog.records if r.name == "touchstone.access"]
    assert len(lines) == 2
    for record in lines:
        assert token not in record.getMessage() and token not in str(record.__dict__)
        assert re.match(r"^/t/~[0-9a-f]{12}(/s/about_you)?$", record.path)  # type: ignore[attr-defined]
    assert loggable_path("/hr/candidates/3") == "/hr/candidates/3"


def test_database_errors_do_not_show_sql_parameters(engine: Engine) -> None:
    assert engine.hide_parameters
    with engine.connect() as connection, pytest.raises(SQLAlchemyError) as raised:
        connection.execute(text("SELECT * FROM no_such_table WHERE name = :name"), {"name": "Zebedeus Secret"})
    assert "Zebedeus Secret" not in str(raised.value)


def _production_client(settings: Settings, engine: Engine, base_url: str) -> TestClient:
    production = settings.model_copy(
        update={"environment": Environment.PRODUCTION, "secret_key": PRODUCTION_SECRET, "base_url": base_url}
    )
    return TestClient(create_app(production, engine=engine, run_startup=False), raise_server_exceptions=False)


def test_production_accepts_only_the_base_urls_host(settings: Settings, engine: Engine) -> None:
    client = _production_client(settings, engine, "https://touchstone.example.com")
    forged = client.get("https://evil.example.net/hr/login")
    assert forged.status_code == 400
    assert "evil.example.net" not in forged.text
    assert client.get("https://touchstone.example.com/hr/login").status_code == 200
    # Load balancers probe by address.
    assert client.get("http://10.0.0.7:8000/healthz").status_code == 200


def test_hsts_only_when_the_base_url_is_https(settings: Settings, engine: Engine) -> None:
    https = _production_client(settings, engine, "https://touchstone.example.com")
    header = https.get("https://touchstone.example.com/hr/login").headers.get("strict-transport-security")
    assert header and "max-age=31536000" in header
    plain = _production_client(settings, engine, "http://touchstone.example.com")
    assert "strict-transport-security" not in plain.get("http://touchstone.example.com/hr/login").headers
