"""Object-level authorization: every route with an id answers a clean 404 for an object that does not exist.

Touchstone serves one organisation per installation, so what a caller may reach is decided by their
role (HR) or scopes (API keys, tested in tests/api/test_access.py); this walk proves that no `{id}`
route trusts an id it was given: an unknown one is refused, never a 500 or someone else's object.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.apikeys import service as apikeys
from tests.security.routes import all_routes, fill
from tests.web.hr.helpers import csrf, sign_in_as

HR_WITH_IDS = [(m, p, n) for m, p, n in all_routes() if p.startswith("/hr/") and "{" in p and m == "GET"]
API_WITH_IDS = [(m, p, n) for m, p, n in all_routes() if p.startswith("/api/v1/") and "{" in p]


def test_the_walks_find_routes() -> None:
    assert len(HR_WITH_IDS) >= 8 and len(API_WITH_IDS) >= 8


@pytest.mark.parametrize(("method", "path", "name"), HR_WITH_IDS, ids=[p for _m, p, _n in HR_WITH_IDS])
def test_hr_pages_refuse_unknown_ids(client: TestClient, session: Session, method: str, path: str, name: str) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    response = client.get(fill(path), follow_redirects=False)
    assert response.status_code == 404, f"{name}: {response.status_code}"
    assert "Traceback" not in response.text


@pytest.mark.parametrize(("method", "path", "name"), API_WITH_IDS, ids=[f"{m} {p}" for m, p, _n in API_WITH_IDS])
def test_api_refuses_unknown_ids(client: TestClient, session: Session, method: str, path: str, name: str) -> None:
    _key, secret = apikeys.create_key(session, name="walk", scopes=["read", "write", "webhooks"], actor="test")
    session.flush()
    body = {} if method in {"POST", "PUT", "PATCH"} else None
    if path.endswith("/answers"):
        body = {"answers": {}}
    # Routes whose body has required fields get a valid one: the unknown id is what must be refused.
    if path.endswith("/reference-consent") and method == "POST":
        body = {"agreed": True}
    if path.endswith("/referees") and method == "POST":
        body = {"name": "A", "email": "a@example.org", "relation": "client", "period": "2024"}
    response = client.request(method, fill(path), json=body, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 404, f"{name}: {response.status_code} {response.text[:200]}"
    assert response.headers["content-type"].startswith("application/problem+json")


def test_hr_posts_refuse_unknown_ids(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/candidates")
    posts = [(m, p, n) for m, p, n in all_routes() if p.startswith("/hr/") and "{" in p and m == "POST"]
    assert len(posts) >= 8
    for _method, path, name in posts:
        response = client.post(fill(path), data={"csrf_token": token}, follow_redirects=False)
        assert response.status_code in (404, 422), f"{name}: {response.status_code}"
        assert "Traceback" not in response.text
