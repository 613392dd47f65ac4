"""Liveness and readiness."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.config import Environment, Settings
from app.main import create_app
from tests.databases import Factory


def test_healthz_answers_while_the_process_lives(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_at_the_migration_head(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readyz_is_503_with_a_problem_when_not_migrated(new_database: Factory) -> None:
    url = new_database("sqlite")
    app = create_app(Settings(environment=Environment.TEST, database_url=url), run_startup=False)
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503
    assert "touchstone migrate" in body["detail"]


def test_readyz_is_503_when_the_database_does_not_answer() -> None:
    settings = Settings(environment=Environment.TEST, database_url="postgresql://nobody@127.0.0.1:1/none")
    app = create_app(settings, run_startup=False)
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "does not answer" in response.json()["detail"]
