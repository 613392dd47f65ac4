"""Sign-in: sessions, sign-out, throttling, no user enumeration, timeouts, deactivation."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts import login as login_service
from app.accounts import service as accounts
from app.accounts import sessions
from app.accounts.models import LoginThrottle, UserRole, UserSession
from app.config import Settings
from app.errors import Unauthorized
from tests.web.hr.helpers import PASSWORD, csrf, login, make_user


def test_login_sets_a_hashed_server_side_session_and_logout_ends_it(client: TestClient, session: Session) -> None:
    user = make_user(session, UserRole.ASSESSOR)
    assert client.get("/hr/candidates", follow_redirects=False).status_code == 303

    response = login(client, "ASSESSOR@example.org ")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/hr"  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "touchstone_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # test environment; production adds Secure (see test below)
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
    # An open redirect is refused: next must stay inside /hr.
    evil = client.post(
        "/hr/login",
        data={"email": "viewer@example.org", "password": PASSWORD, "csrf_token": token, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert evil.headers["location"] == "/hr"


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.ADMIN)
    wrong = login(client, "admin@example.org", "wrong password here")
    unknown = login(client, "nobody@example.org", "wrong password here")
    assert wrong.status_code == unknown.status_code == 401  # type: ignore[attr-defined]
    assert "The e-mail address or password is not right." in wrong.text  # type: ignore[attr-defined]
    assert wrong.text.replace("admin@example.org", "X") == unknown.text.replace("nobody@example.org", "X")  # type: ignore[attr-defined]
    assert sessions.COOKIE not in client.cookies


def test_unknown_email_still_verifies_a_password_hash(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = login_service.verify_password

    def counting(password: str, password_hash: str) -> bool:
        calls.append(password_hash)
        return real(password, password_hash)

    monkeypatch.setattr(login_service, "verify_password", counting)
    with pytest.raises(Unauthorized):
        login_service.authenticate(session, "ghost@example.org", "whatever", ip="1.2.3.4", settings=settings)
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_throttling_answers_429_with_retry_after_per_email_and_ip(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.ADMIN)
    for _ in range(5):
        assert login(client, "admin@example.org", "bad password!!").status_code == 401  # type: ignore[attr-defined]
    locked = login(client, "admin@example.org", PASSWORD)
    assert locked.status_code == 429  # type: ignore[attr-defined]
    retry_after = int(locked.headers["retry-after"])  # type: ignore[attr-defined]
    assert 0 < retry_after <= 15 * 60
    # The state lives in the database (shared by every instance), keyed by a hash, not the address.
    rows = session.exec(select(LoginThrottle)).all()
    assert len(rows) == 1 and "admin" not in rows[0].key and rows[0].failures == 5
    # Another address from the same client is not locked.
    make_user(session, UserRole.VIEWER)
    assert login(client, "viewer@example.org").status_code == 303  # type: ignore[attr-defined]


def test_throttle_window_passes_and_success_clears_failures(session: Session, settings: Settings) -> None:
    user = make_user(session, UserRole.ADMIN)
    for _ in range(4):
        with pytest.raises(Unauthorized):
            login_service.authenticate(session, user.email, "bad password!!", ip="10.0.0.1", settings=settings)
    assert login_service.authenticate(session, user.email, PASSWORD, ip="10.0.0.1", settings=settings) == user
    assert session.exec(select(LoginThrottle)).all() == []
    for _ in range(5):
        with pytest.raises(Unauthorized):
            login_service.authenticate(session, user.email, "bad password!!", ip="10.0.0.1", settings=settings)
    with pytest.raises(login_service.Throttled):
        login_service.authenticate(session, user.email, PASSWORD, ip="10.0.0.1", settings=settings)
    row = session.exec(select(LoginThrottle)).one()
    row.locked_until = row.first_failure_at = row.first_failure_at - dt.timedelta(hours=1)
    session.add(row)
    session.flush()
    assert login_service.authenticate(session, user.email, PASSWORD, ip="10.0.0.1", settings=settings) == user


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


def test_session_cookie_is_secure_in_production(settings: Settings) -> None:
    from starlette.responses import Response

    from app.config import Environment
    from app.web.hr.auth import set_session_cookie

    response = Response()
    set_session_cookie(response, "token", settings.model_copy(update={"environment": Environment.PRODUCTION}))
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_setup_signs_the_first_admin_in(client: TestClient, session: Session) -> None:
    token = csrf(client, "/setup")
    response = client.post(
        "/setup",
        data={"email": "boss@example.org", "password": PASSWORD, "password_confirm": PASSWORD, "csrf_token": token},
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
