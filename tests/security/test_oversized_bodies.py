"""Every route that takes a body refuses one over the size limit with 413, before any handler runs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from tests.security.routes import all_routes, fill

WRITES = [(m, p, n) for m, p, n in all_routes() if m in {"POST", "PUT", "PATCH"}]


def test_there_are_many_write_routes() -> None:
    assert len(WRITES) >= 40


@pytest.mark.parametrize(("method", "path", "name"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_oversized_body_is_413(client: TestClient, settings: Settings, method: str, path: str, name: str) -> None:
    body = b"a=" + b"x" * (settings.max_body_bytes + 10)
    response = client.request(
        method, fill(path), content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413, f"{name}: {response.status_code}"
    if path.startswith(("/api", "/integrations")):
        assert response.headers["content-type"].startswith("application/problem+json")


def test_oversized_body_without_length_is_413(client: TestClient, settings: Settings) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(settings.max_body_bytes // 1024 + 2):
            yield b"x" * 1024

    response = client.post(
        "/self-test", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413
