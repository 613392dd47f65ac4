"""Sign-in: sessions, sign-out, timeouts, deactivation.

Cookie flags, throttling and user enumeration are tested in tests/security/ with the other security concerns.
"""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import startup
from app.accounts import login as login_service
from app.accounts import service as accounts
from app.accounts import sessions
from app.accounts.models import LoginThrottle, UserRole, UserSession
from app.config import Settings
from tests.web.hr.helpers import PASSWORD, csrf, login, make_user


def test_login_sets_a_hashed_server_side_session_and_logout_ends_it(client: TestClient, session: Session) -> None:
    user = make_user(session, UserRole.ASSESSOR)
    assert client.get("/hr/candidates", follow_redirects=False).status_code == 303

    response = login(client, "ASSESSOR@example.org ")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/hr"  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "touchstone_session=" in cookie  # its flags: tests/security/test_cookie_flags.py
    token = client.cookies.get(sessions.COOKIE)
    assert token
    stored = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert stored.id == sessions.hash_token(token) and stored.id != token

    assert client.get("/hr/candidates").status_code == 200
    logout = client.post("/hr/logout", data={"csrf_token": csrf(client, "/hr/candidates")}, follow_redirects=False)
    assert logout.status_code == 303
    assert session.exec(select(UserSession).where(UserSession.user_id == user.id)).all() == []
    # The old cookie is worthless at once, even if a browser kept it.
    client.cookies.set(sessions.COOKIE, token)
    assert client.get("/hr/candidates", follow_redirects=False).status_code == 303


def test_anonymous_is_sent_to_login_with_next_and_comes_back(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.VIEWER)
    response = client.get("/hr/candidates?status=completed", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("http://testserver/hr/login?next=")
    assert "%2Fhr%2Fcandidates%3Fstatus%3Dcompleted" in response.headers["location"]
    token = csrf(client, response.headers["location"])
    back = client.post(
        "/hr/login",
        data={"email": "viewer@example.org", "password": PASSWORD, "csrf_token": token, "next": "/hr/roles"},
        follow_redirects=False,
    )
    assert back.headers["location"] == "/hr/roles"
    # An open redirect is refused: next must stay inside /hr. (A new form: tokens belong to one session.)
    token = csrf(client, "/hr/roles")
    evil = client.post(
        "/hr/login",
        data={"email": "viewer@example.org", "password": PASSWORD, "csrf_token": token, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert evil.headers["location"] == "/hr"


def _age(session: Session, **shift: dt.timedelta) -> None:
    for row in session.exec(select(UserSession)).all():
        for field, delta in shift.items():
            setattr(row, field, getattr(row, field) - delta)
        session.add(row)
    session.flush()


def test_idle_timeout_ends_the_session(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.VIEWER)
    login(client, "viewer@example.org")
    assert client.get("/hr/candidates").status_code == 200
    _age(session, last_seen_at=dt.timedelta(minutes=29))
    assert client.get("/hr/candidates").status_code == 200  # activity within 30 minutes keeps it alive
    _age(session, last_seen_at=dt.timedelta(minutes=31))
    assert client.get("/hr/candidates", follow_redirects=False).status_code == 303
    assert session.exec(select(UserSession)).all() == []


def test_absolute_timeout_ends_an_active_session(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.VIEWER)
    login(client, "viewer@example.org")
    for row in session.exec(select(UserSession)).all():
        row.expires_at = row.created_at  # 12 hours have passed since sign-in, however active
        session.add(row)
    session.flush()
    assert client.get("/hr/candidates", follow_redirects=False).status_code == 303


def test_deactivation_and_role_change_take_effect_at_once(client: TestClient, session: Session) -> None:
    admin = make_user(session, UserRole.ADMIN)
    user = make_user(session, UserRole.ASSESSOR)
    login(client, user.email)
    assert client.get("/hr/candidates").status_code == 200
    accounts.set_active(session, user, False, actor=admin.email)
    assert client.get("/hr/candidates", follow_redirects=False).status_code == 303
    assert login(client, user.email).status_code == 401  # type: ignore[attr-defined]

    accounts.set_active(session, user, True, actor=admin.email)
    login(client, user.email)
    accounts.set_role(session, user, UserRole.VIEWER, actor=admin.email)
    assert client.get("/hr/candidates", follow_redirects=False).status_code == 303


def test_the_last_admin_cannot_be_removed(session: Session) -> None:
    admin = make_user(session, UserRole.ADMIN)
    with pytest.raises(Exception, match="last active administrator"):
        accounts.set_active(session, admin, False, actor="test")
    with pytest.raises(Exception, match="last active administrator"):
        accounts.set_role(session, admin, UserRole.VIEWER, actor="test")


def test_setup_signs_the_first_admin_in(client: TestClient, session: Session) -> None:
    setup = client.app.state.settings  # type: ignore[attr-defined]
    token = csrf(client, startup.setup_url(setup, ""))
    response = client.post(
        "/setup",
        data={
            "email": "boss@example.org",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "csrf_token": token,
            "setup_token": startup.setup_token(setup),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("http://testserver/hr")
    assert client.get("/hr/candidates").status_code == 200


def test_successful_sign_in_clears_stale_state(session: Session, settings: Settings) -> None:
    user = make_user(session, UserRole.VIEWER)
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    session.add(LoginThrottle(key="stale", failures=2, first_failure_at=long_ago, locked_until=long_ago))
    session.add(UserSession(id="old", user_id=user.id, created_at=long_ago, last_seen_at=long_ago, expires_at=long_ago))  # type: ignore[arg-type]
    session.flush()
    login_service.authenticate(session, user.email, PASSWORD, ip="10.0.0.9", settings=settings)
    sessions.purge_expired(session, settings)
    assert session.get(LoginThrottle, "stale") is None and session.get(UserSession, "old") is None
