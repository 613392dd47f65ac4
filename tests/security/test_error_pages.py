"""Error pages and problem documents never leak internals: no traceback, no exception text, no paths, no SQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.apikeys import service as apikeys
from app.config import Settings
from app.main import create_app

LEAKS = ("Traceback", 'File "', "/work/", "site-packages", "sqlalchemy", "psycopg", "SELECT ", "secret-internal")


def _clean(body: str) -> None:
    for leak in LEAKS:
        assert leak not in body, f"error response leaks {leak!r}"


@pytest.fixture
def crashing_client(settings: Settings) -> TestClient:
    app = create_app(settings, run_startup=False)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("secret-internal state at /work/main/app/x.py: SELECT password FROM user_account")

    @app.get("/api/v1/boom", include_in_schema=False)
    def api_boom() -> None:
        raise RuntimeError("secret-internal state at /work/main/app/x.py: SELECT password FROM user_account")

    return TestClient(app, raise_server_exceptions=False)


def test_unhandled_error_on_a_page_is_a_friendly_500(crashing_client: TestClient) -> None:
    response = crashing_client.get("/boom", headers={"Accept-Language": "nl"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert 'lang="nl"' in response.text
    _clean(response.text)
    assert response.headers.get("x-request-id")


def test_unhandled_error_in_the_api_is_a_problem_document(crashing_client: TestClient) -> None:
    response = crashing_client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 500 and body["request_id"]
    _clean(response.text)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/no/such/page", 404), ("/t/not-a-real-token", 404), ("/api/v1/nope", 404), ("/hr/candidates/x", 303)],
)
def test_not_found_pages(client: TestClient, path: str, status: int) -> None:
    response = client.get(path, headers={"Accept-Language": "en"}, follow_redirects=False)
    assert response.status_code == status
    _clean(response.text)


def test_validation_errors_name_the_field_not_the_code(client: TestClient, session: Session) -> None:
    _key, secret = apikeys.create_key(session, name="sec", scopes=["read", "write"], actor="test")
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    broken = client.post("/api/v1/candidates", content=b"{not json", headers=headers)
    assert broken.status_code == 422
    _clean(broken.text)
    wrong = client.post(
        "/api/v1/candidates", json={"first_name": "A", "last_name": "B", "language": 7}, headers=headers
    )
    assert wrong.status_code == 422
    assert "language" in wrong.text
    _clean(wrong.text)


def test_method_not_allowed_is_clean(client: TestClient) -> None:
    response = client.delete("/self-test")
    assert response.status_code == 405
    _clean(response.text)
