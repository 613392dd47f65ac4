"""CSRF: every state-changing browser route refuses a missing or wrong token, and changes nothing.

The routes are walked, not listed: a POST/PUT/PATCH/DELETE route anyone adds outside the machine APIs is
covered at once. Each gets real objects behind its ids (tests/security/world.py), so a route that looked
its object up before checking the token cannot pass by answering 404.

Exempt: /api/v1 (Bearer key) and /integrations/greenhouse (Basic auth, key as user name). A browser never
adds an Authorization: Bearer header on its own, and these routes ignore cookies, so another site has no
ambient credential to ride on; the tests below check both claims, and that a cross-site form (which can
only send form or text/plain bodies) cannot produce the JSON body those routes need.
"""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from app.apikeys import service as apikeys
from app.web import csrf as csrf_module
from tests.security.routes import MACHINE_PREFIXES, WRITE_METHODS, all_routes, browser_writes, route_table
from tests.security.world import World
from tests.web.hr.helpers import csrf

ROUTES = browser_writes()
TABLE = {(m, p, n): route for m, p, n, route in route_table()}
# Signing out ends the session the other requests need; its own refusal is tested with the rest.
LAST = {"hr_logout"}


def _counts(session: Session) -> dict[str, int]:
    session.flush()
    return {
        t.name: session.execute(select(func.count()).select_from(t)).scalar_one()
        for t in SQLModel.metadata.sorted_tables
    }


def _required(route: tuple[str, str, str], world: World) -> dict[str, str]:
    """Return the form fields a route cannot do without, so validation (422) cannot answer before the check."""
    fields = {}
    for param in TABLE[route].dependant.body_params:
        if param.field_info.is_required():
            fields[param.alias] = world.ids.get(param.alias, "1")
    return fields


def _foreign_token(client: TestClient) -> str:
    """Return a well-formed token signed for another browser's nonce (someone else's form)."""
    with TestClient(client.app, base_url="http://testserver") as other:
        return csrf(other, "/hr/login")


def test_the_walk_finds_every_browser_form() -> None:
    names = {n for _m, _p, n in ROUTES}
    assert {
        "hr_login_submit",
        "hr_candidate_create",
        "candidate_section_save",
        "self_test_start",
        "setup_submit",
    } <= names
    assert len(ROUTES) >= 35
    assert not any(p.startswith(MACHINE_PREFIXES) for _m, p, _n in ROUTES)


def test_every_browser_write_refuses_a_missing_or_wrong_token(client: TestClient, bank: Session, world: World) -> None:
    good = csrf(client, "/hr/roles")
    variants = {"no field": None, "empty": "", "zeros": "0" * 64, "another browser's": _foreign_token(client)}
    before = _counts(bank)
    problems = []
    for method, path, name in ROUTES:
        for label, token in variants.items():
            data = _required((method, path, name), world) | ({} if token is None else {"csrf_token": token})
            status = client.request(method, world.url(path), data=data, follow_redirects=False).status_code
            if status != 403:
                problems.append(f"{method} {path} ({name}) with {label} token: {status}")
        # The right token without the cookie it was made for is refused too (the double submit).
        nonce = client.cookies.get(csrf_module.COOKIE)
        client.cookies.delete(csrf_module.COOKIE)
        data = _required((method, path, name), world) | {"csrf_token": good}
        status = client.request(method, world.url(path), data=data, follow_redirects=False).status_code
        client.cookies.set(csrf_module.COOKIE, nonce or "")
        if status != 403:
            problems.append(f"{method} {path} ({name}) without the CSRF cookie: {status}")
    assert not problems, "\n".join(problems)
    assert _counts(bank) == before, "a refused request changed the database"


def test_the_right_token_gets_past_the_check(client: TestClient, bank: Session, world: World) -> None:
    """Proves the refusals above come from the token: with the right one no route answers 403."""
    good = csrf(client, "/hr/roles")
    ordered = sorted(ROUTES, key=lambda route: route[2] in LAST)
    problems = []
    for method, path, name in ordered:
        data = _required((method, path, name), world) | {"csrf_token": good}
        response = client.request(method, world.url(path), data=data, follow_redirects=False)
        if response.status_code == 403 or response.status_code >= 500:
            problems.append(f"{method} {path} ({name}) with the right token: {response.status_code}")
    assert not problems, "\n".join(problems)


MACHINE_WRITES = [(m, p, n) for m, p, n in all_routes() if m in WRITE_METHODS and p.startswith(MACHINE_PREFIXES)]


def test_machine_apis_ignore_the_hr_session_cookie(client: TestClient, bank: Session, world: World) -> None:
    """The exemption holds only while cookies grant nothing there: a signed-in admin's browser gets 401."""
    assert len(MACHINE_WRITES) >= 8
    token = csrf(client, "/hr/roles")
    for method, path, name in MACHINE_WRITES:
        response = client.request(method, world.url(path), data={"csrf_token": token}, json=None)
        assert response.status_code == 401, f"{method} {path} ({name}) honoured the cookie: {response.status_code}"


def test_cross_site_forms_cannot_send_the_json_the_apis_need(client: TestClient, bank: Session, world: World) -> None:
    """Even with a key a browser somehow sends (Basic auth it cached), a form-encoded or text/plain body fails."""
    _key, secret = apikeys.create_key(
        bank, name="all", scopes=["read", "write", "greenhouse", "webhooks"], actor="test"
    )
    bank.flush()
    bearer = {"Authorization": f"Bearer {secret}"}
    basic = {"Authorization": "Basic " + base64.b64encode(f"{secret}:".encode()).decode()}
    with_body = [(m, p, n) for m, p, n in MACHINE_WRITES if TABLE[(m, p, n)].dependant.body_params]
    assert len(with_body) >= 5 and any(p.startswith("/integrations/") for _m, p, _n in with_body)
    for method, path, name in with_body:
        headers = basic if path.startswith("/integrations/") else bearer
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            response = client.request(
                method, world.url(path), content=b'{"a": "b"}', headers={**headers, "Content-Type": content_type}
            )
            assert response.status_code in (404, 415, 422), f"{method} {path} ({name}) took {content_type}"
