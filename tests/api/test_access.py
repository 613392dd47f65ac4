"""Key A cannot read or change what it may not: every /api/v1 route, by scope; a revoked key gets nothing."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.v1 import assessments, candidates, questionnaires, roles
from app.apikeys import service as apikeys
from tests.api.conftest import MakeKey

SAMPLE = {"role_id": "1", "candidate_id": "1", "assessment_id": "ab12", "questionnaire_id": "self-test"}


def _routes() -> list[tuple[str, str, str]]:
    """Every (method, concrete path, scope needed) of /api/v1, read from the application itself."""
    found = []
    for route in (r for module in (questionnaires, roles, candidates, assessments) for r in module.router.routes):
        assert isinstance(route, APIRoute)
        path = "/api/v1" + re.sub(r"{(\w+)}", lambda m: SAMPLE[m.group(1)], route.path)
        scope = next(d.call.required_scope for d in route.dependant.dependencies if hasattr(d.call, "required_scope"))
        for method in route.methods:
            found.append((method, path, scope))
    return found


ROUTES = _routes()


def test_every_api_route_needs_a_scope() -> None:
    assert len(ROUTES) >= 15
    assert any("{" not in p and p.endswith("/cancel") for _m, p, _s in ROUTES)
    assert {scope for _m, _p, scope in ROUTES} == {"read", "write"}
    assert all(scope == "read" for method, _p, scope in ROUTES if method == "GET")
    assert all(scope == "write" for method, _p, scope in ROUTES if method != "GET")


@pytest.mark.parametrize(("method", "path", "scope"), ROUTES)
def test_keys_without_the_scope_are_refused(
    client: TestClient, session: Session, make_key: MakeKey, method: str, path: str, scope: str
) -> None:
    other = "write" if scope == "read" else "read"
    for headers in (make_key("greenhouse"), make_key(other)):
        response = client.request(method, path, headers=headers, json={})
        assert response.status_code == 403, (method, path, response.text)
    key, secret = apikeys.create_key(session, name="gone", scopes=["read", "write"], actor="t")
    apikeys.revoke(session, key, actor="t")
    assert client.request(method, path, headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert client.request(method, path).status_code == 401
