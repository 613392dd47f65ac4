"""Every /hr route, for every kind of visitor: anonymous goes to sign-in, roles are allowed or refused.

The routes are read from the application, so routes other engineers add are covered automatically. The
table of required roles is each route's own guard dependency (app.accounts.deps), so it cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.deps import required_roles_of
from app.accounts.models import UserRole
from app.config import ROOT
from app.main import create_app
from tests.web.hr.helpers import csrf, sign_in_as

# Routes anyone may open: the sign-in form itself, and signing out (which needs no session to be safe).
PUBLIC = {"hr_login", "hr_login_submit", "hr_logout"}
PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


def hr_routes() -> Iterator[tuple[str, str, str, APIRoute]]:
    """Yield (method, path, name, route) for every route under /hr."""
    app = create_app(run_startup=False)
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path
        if not isinstance(route, APIRoute) or not (path == "/hr" or path.startswith("/hr/")):
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, path, str(context.name), route


ROUTES = sorted({(m, p, n): r for m, p, n, r in hr_routes()}.items())
IDS = [f"{m} {p}" for (m, p, _n), _r in ROUTES]


def test_the_walk_finds_the_workspace() -> None:
    names = {n for (_m, _p, n), _r in ROUTES}
    assert {"hr_candidates", "hr_candidate", "hr_roles", "hr_users", "hr_outbox", "hr_audit"} <= names
    assert len(ROUTES) >= 25


@pytest.mark.parametrize(("key", "route"), ROUTES, ids=IDS)
def test_every_hr_route_is_named_guarded_and_documented(key: tuple[str, str, str], route: APIRoute) -> None:
    method, path, name = key
    assert name and not name.startswith("<"), f"{method} {path} has no name="
    assert (route.endpoint.__doc__ or "").strip(), f"{name} has no docstring"
    if name not in PUBLIC:
        assert required_roles_of(route.dependant) is not None, f"{name} ({method} {path}) has no role guard"
    if method == "POST" and name not in PUBLIC:
        # Viewers are read-only: nothing they can post.
        assert UserRole.VIEWER not in (required_roles_of(route.dependant) or set()), f"{name} lets viewers write"


def _url(path: str) -> str:
    # Unknown ids: an allowed user gets 404 or 422 from the page, a refused one 403 before any lookup.
    return PARAM.sub(lambda m: "1" if m.group(1).endswith("_id") and "assessment" not in m.group(1) else "x1", path)


def _call(client: TestClient, method: str, path: str, token: str) -> int:
    if method == "GET":
        return client.get(_url(path), follow_redirects=False).status_code
    return client.request(method, _url(path), data={"csrf_token": token}, follow_redirects=False).status_code


@pytest.mark.parametrize(("key", "route"), ROUTES, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient, key: tuple[str, str, str], route: APIRoute) -> None:
    method, path, name = key
    if name in PUBLIC:
        return
    response = (
        client.get(_url(path), follow_redirects=False)
        if method == "GET"
        else client.request(method, _url(path), data={}, follow_redirects=False)
    )
    assert response.status_code == 303, f"{method} {path}"
    assert "/hr/login?next=" in response.headers["location"]
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("role", list(UserRole))
def test_each_role_is_allowed_or_refused_per_the_guard(client: TestClient, session: Session, role: UserRole) -> None:
    sign_in_as(client, session, role)
    token = csrf(client, "/hr/roles")
    problems = []
    for (method, path, name), route in ROUTES:
        if name in PUBLIC:
            continue
        allowed = role in (required_roles_of(route.dependant) or set())
        status = _call(client, method, path, token)
        if (allowed and status in (401, 403)) or (allowed and status == 303 and method == "GET" and "login" in path):
            problems.append(f"{role} refused {method} {path}: {status}")
        if not allowed and status != 403:
            problems.append(f"{role} allowed {method} {path}: {status}")
        if status >= 500:
            problems.append(f"{method} {path} crashed for {role}: {status}")
    assert not problems, "\n".join(problems)


def test_post_routes_refuse_a_missing_or_forged_csrf_token(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    csrf(client, "/hr/roles")  # the CSRF cookie is set
    for (method, path, name), route in ROUTES:
        if method != "POST" or name == "hr_logout":
            continue
        for token in ("", "0" * 64):
            status = client.post(_url(path), data={"csrf_token": token}, follow_redirects=False).status_code
            if route.endpoint.__module__.startswith("app.web.hr."):
                # This workspace's forms check the token first, before looking anything up.
                assert status == 403, f"POST {path} with token {token!r}: {status}"
            else:
                assert status in (403, 404, 422), f"POST {path} with token {token!r}: {status}"
    assert client.post("/hr/roles", data={"title": "Forged", "csrf_token": "bad"}).status_code == 403
    assert client.post("/hr/candidates", data={"first_name": "A", "last_name": "B"}).status_code == 403
    forged_user = {"email": "x@example.org", "role": "admin", "password": "x" * 20}
    assert client.post("/hr/users", data=forged_user).status_code == 403
    assert client.get("/hr/roles").text.count("Forged") == 0


def test_hr_templates_only_link_to_named_routes() -> None:
    for template in (ROOT / "templates" / "hr").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert 'href="/hr' not in text and 'action="/hr' not in text, f"{template.name} hard-codes an /hr URL"
