"""Function-level authorization: every /hr, /api and /integrations route refuses anonymous callers and
callers whose role (HR) or key scope (API) is too small.

The routes are read from the application, so routes other engineers add are covered automatically. What
each route requires is read from its own guard dependency (app.accounts.deps, app.api.deps), so the table
cannot drift from the code; the role walk runs on real objects (tests/security/world.py), so "allowed"
means the page really answered, and "refused" means 403 before anything was looked up or changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.deps import required_roles_of
from app.accounts.models import UserRole
from app.apikeys import service as apikeys
from tests.security.routes import fill, under
from tests.security.world import build
from tests.web.hr.helpers import csrf, sign_in_as

# Routes anyone may open: the sign-in form itself, and signing out (which needs no session to be safe).
PUBLIC = {"hr_login", "hr_login_submit", "hr_logout"}
# Writes to the signed-in user's own account, which every role has: a viewer changes their own password too.
OWN_ACCOUNT = {"hr_password_change"}

HR = sorted(((m, p, n), r) for m, p, n, r in under("/hr"))
HR_IDS = [f"{m} {p}" for (m, p, _n), _r in HR]


def test_the_walk_finds_the_workspace() -> None:
    names = {n for (_m, _p, n), _r in HR}
    assert {"hr_candidates", "hr_candidate", "hr_roles", "hr_users", "hr_outbox", "hr_audit", "privacy_erase"} <= names
    assert len(HR) >= 45


@pytest.mark.parametrize(("key", "route"), HR, ids=HR_IDS)
def test_every_hr_route_has_a_role_guard(key: tuple[str, str, str], route: APIRoute) -> None:
    method, path, name = key
    if name in PUBLIC:
        return
    roles = required_roles_of(route.dependant)
    assert roles is not None, f"{name} ({method} {path}) has no role guard"
    if method != "GET" and name not in OWN_ACCOUNT:
        # Viewers are read-only: nothing they can post.
        assert UserRole.VIEWER not in roles, f"{name} lets viewers write"


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    problems = []
    for (method, path, name), _route in HR:
        if name in PUBLIC:
            continue
        response = client.request(method, fill(path, "1"), data={}, follow_redirects=False)
        location = response.headers.get("location", "")
        if response.status_code != 303 or "/hr/login?next=" not in location:
            problems.append(f"{method} {path}: {response.status_code} {location}")
        elif response.headers.get("cache-control") != "no-store":
            problems.append(f"{method} {path}: the redirect may be cached")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", list(UserRole))
def test_each_role_is_allowed_or_refused_per_the_guard(client: TestClient, bank: Session, role: UserRole) -> None:
    world = build(bank)
    sign_in_as(client, bank, role)
    token = csrf(client, "/hr/roles")
    problems = []
    # Signing out would end the walk's session; it is public anyway.
    for (method, path, name), route in HR:
        if name in PUBLIC:
            continue
        allowed = role in (required_roles_of(route.dependant) or set())
        data = {"csrf_token": token} if method != "GET" else None
        response = client.request(method, world.url(path), data=data, follow_redirects=False)
        status = response.status_code
        signed_out = status == 303 and "/hr/login" in response.headers.get("location", "")
        if allowed and (status in (401, 403) or signed_out):
            problems.append(f"{role} refused {method} {path}: {status}")
        if not allowed and status != 403:
            problems.append(f"{role} allowed {method} {path}: {status}")
        if status >= 500:
            problems.append(f"{method} {path} crashed for {role}: {status}")
    assert not problems, "\n".join(problems)


def _scope(route: APIRoute) -> str | None:
    """Return the scope a route's key guard requires (searched through nested dependencies)."""
    stack: list[Any] = [route.dependant]
    while stack:
        current = stack.pop()
        scope = getattr(current.call, "required_scope", None)
        if scope is not None:
            return str(scope)
        stack.extend(current.dependencies)
    return None


API = [(m, fill(p, "1"), _scope(r), n) for m, p, n, r in under("/api")]


def test_every_api_route_needs_a_scope() -> None:
    assert len(API) >= 15
    missing = [f"{m} {p} ({n})" for m, p, scope, n in API if scope is None]
    assert not missing, f"API routes without a scope guard: {missing}"
    assert {scope for _m, _p, scope, _n in API} == {"read", "write", "webhooks"}
    # Webhook endpoints need their own scope for every method: they decide where events go.
    hooks = [(m, p, scope) for m, p, scope, _n in API if p.startswith("/api/v1/webhook-endpoints")]
    assert len(hooks) >= 7 and all(scope == "webhooks" for _m, _p, scope in hooks)
    rest = [(m, scope) for m, p, scope, _n in API if not p.startswith("/api/v1/webhook-endpoints")]
    assert all(scope == "read" for method, scope in rest if method == "GET")
    assert all(scope == "write" for method, scope in rest if method != "GET")


@pytest.mark.parametrize(("method", "path", "scope", "name"), API, ids=[f"{m} {p}" for m, p, _s, _n in API])
def test_api_keys_without_the_scope_are_refused(
    client: TestClient, session: Session, method: str, path: str, scope: str, name: str
) -> None:
    def header(*scopes: str) -> dict[str, str]:
        _key, secret = apikeys.create_key(session, name="+".join(scopes), scopes=scopes, actor="test")
        session.flush()
        return {"Authorization": f"Bearer {secret}"}

    other = "write" if scope == "read" else "read"
    for headers in (header("greenhouse"), header(other)):
        response = client.request(method, path, headers=headers, json={})
        assert response.status_code == 403, (method, path, response.text)
    key, secret = apikeys.create_key(session, name="gone", scopes=["read", "write"], actor="t")
    apikeys.revoke(session, key, actor="t")
    assert client.request(method, path, headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert client.request(method, path, headers={"Authorization": "Bearer not-a-key"}).status_code == 401
    assert client.request(method, path).status_code == 401


GREENHOUSE = [(m, fill(p, "1"), n) for m, p, n, _r in under("/integrations")]


def test_greenhouse_routes_need_a_greenhouse_key(client: TestClient, session: Session) -> None:
    assert len(GREENHOUSE) >= 4
    _key, read_write = apikeys.create_key(session, name="rw", scopes=["read", "write"], actor="test")
    session.flush()
    for method, path, name in GREENHOUSE:
        assert client.request(method, path, json={}).status_code == 401, name
        assert client.request(method, path, json={}, auth=("not-a-key", "")).status_code == 401, name
        # Greenhouse documents 401 for every refused key, a key without the scope included.
        assert client.request(method, path, json={}, auth=(read_write, "")).status_code == 401, name
