"""Errors: problem JSON for machines, a friendly page for people, never a stack trace; request ids; body limit."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from app.config import Environment, Settings
from app.errors import Conflict, Gone, NotFound
from app.headers import SECURITY_HEADERS
from app.logs import JsonFormatter
from app.main import create_app

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id"}


class Payload(BaseModel):
    name: str = Field(min_length=2)
    count: int


def _probe_router() -> APIRouter:
    router = APIRouter()

    @router.get("/api/v1/probe/missing")
    def missing() -> None:
        raise NotFound("candidate 42 does not exist")

    @router.get("/integrations/probe/conflict")
    def conflict() -> None:
        raise Conflict("assessment abc is already completed")

    @router.get("/probe/token-page")
    def token_page() -> Response:
        return Response("ok", headers={"Referrer-Policy": "no-referrer"})

    @router.get("/probe/gone")
    def gone() -> None:
        raise Gone("This invitation expired on 1 March.")

    @router.post("/api/v1/probe/echo")
    def echo(payload: Payload, limit: int = 10) -> dict[str, int]:
        return {"count": payload.count, "limit": limit}

    @router.get("/api/v1/probe/crash")
    def crash_api() -> None:
        raise RuntimeError("secret internal detail")

    @router.get("/probe/crash")
    def crash_page() -> None:
        raise RuntimeError("secret internal detail")

    return router


@pytest.fixture(scope="module")
def app() -> FastAPI:
    settings = Settings(environment=Environment.TEST, database_url="sqlite://", max_body_bytes=1000)
    application = create_app(settings, run_startup=False)
    application.include_router(_probe_router())
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_domain_error_under_api_is_a_problem_document(client: TestClient) -> None:
    response = client.get("/api/v1/probe/missing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["detail"] == "candidate 42 does not exist"
    assert body["instance"] == "/api/v1/probe/missing"
    assert body["request_id"] == response.headers["x-request-id"]


def test_integrations_get_problems_too(client: TestClient) -> None:
    response = client.get("/integrations/probe/conflict")
    assert response.status_code == 409
    assert response.json()["title"] == "Conflict"


def test_validation_errors_list_each_field_with_location(client: TestClient) -> None:
    response = client.post("/api/v1/probe/echo?limit=many", json={"name": "x"})
    assert response.status_code == 422
    body = response.json()
    found = {(e["location"], e["field"]) for e in body["errors"]}
    assert found == {("body", "name"), ("body", "count"), ("query", "limit")}
    assert all(e["message"] for e in body["errors"])


def test_unexpected_error_hides_the_stack_trace(client: TestClient) -> None:
    response = client.get("/api/v1/probe/crash", headers={"X-Request-ID": "trace-me-123"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "trace-me-123"
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert response.json()["request_id"] == "trace-me-123"
    assert response.headers["x-frame-options"] == "DENY"


def test_unexpected_error_on_a_page_is_friendly_html(client: TestClient) -> None:
    response = client.get("/probe/crash", headers={"Accept-Language": "nl"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Er ging bij ons iets mis" in response.text
    assert "secret internal detail" not in response.text


@pytest.mark.parametrize(
    ("headers", "cookies", "expected"),
    [
        ({"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"}, {}, "Pagina niet gevonden"),
        ({"Accept-Language": "de, en;q=0.4"}, {}, "Page not found"),
        ({"Accept-Language": "en"}, {"lang": "nl"}, "Pagina niet gevonden"),
        ({}, {}, "Page not found"),
    ],
)
def test_html_error_page_speaks_the_users_language(
    client: TestClient, headers: dict[str, str], cookies: dict[str, str], expected: str
) -> None:
    client.cookies.clear()
    for name, value in cookies.items():
        client.cookies.set(name, value)
    response = client.get("/no-such-page", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert expected in response.text


def test_domain_error_on_a_page_shows_its_detail(client: TestClient) -> None:
    response = client.get("/probe/gone")
    assert response.status_code == 410
    assert "This link is no longer valid" in response.text
    assert "This invitation expired on 1 March." in response.text


def test_request_id_is_accepted_when_well_formed(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "abc.DEF_123-x"}).headers["x-request-id"] == "abc.DEF_123-x"


@pytest.mark.parametrize("bad", ["short", "has spaces in it", "x" * 129, "semi;colon;value"])
def test_malformed_request_id_is_replaced(client: TestClient, bad: str) -> None:
    returned = client.get("/healthz", headers={"X-Request-ID": bad}).headers["x-request-id"]
    assert returned != bad
    assert len(returned) == 32


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/healthz", "/", "/no-such-page", "/static/touchstone.css"):
        response = client.get(path)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (path, name)


def test_declared_oversized_body_is_refused_with_413(client: TestClient) -> None:
    response = client.post("/api/v1/probe/echo", content=b"x" * 2000, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "TOUCHSTONE_MAX_BODY_BYTES" in response.json()["detail"]


def test_streamed_oversized_body_is_refused_with_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 200

    response = client.post("/api/v1/probe/echo", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_body_under_the_limit_passes(client: TestClient) -> None:
    response = client.post("/api/v1/probe/echo", json={"name": "ok", "count": 3})
    assert response.status_code == 200
    assert response.json() == {"count": 3, "limit": 10}


def test_a_route_can_tighten_a_security_header(client: TestClient) -> None:
    response = client.get("/probe/token-page")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_each_request_is_logged_as_json_with_its_id(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="touchstone.access"):
        client.get("/healthz", headers={"X-Request-ID": "log-me-please"})
    records = [r for r in caplog.records if r.name == "touchstone.access"]
    assert records, "no access log line"
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["request_id"] == "log-me-please"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)
