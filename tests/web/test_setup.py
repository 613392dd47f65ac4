"""The one-time setup page: CSRF-protected, creates the first admin with argon2id, then disappears."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import startup
from app.accounts.models import User, UserRole
from app.accounts.passwords import verify_password
from app.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"


def _url(client: TestClient) -> str:
    return startup.setup_url(client.app.state.settings, "")  # type: ignore[attr-defined]


def _csrf(client: TestClient) -> str:
    page = client.get(_url(client))
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the setup form has no CSRF token"
    return match.group(1)


def _submit(client: TestClient, token: str, **fields: str) -> object:
    data = {"email": "Admin@Example.org", "password": PASSWORD, "password_confirm": PASSWORD, "csrf_token": token}
    data["setup_token"] = startup.setup_token(client.app.state.settings)  # type: ignore[attr-defined]
    data.update(fields)
    return client.post("/setup", data=data, follow_redirects=False)


def test_setup_creates_the_first_admin_and_then_disappears(client: TestClient, session: Session) -> None:
    token = _csrf(client)
    response = _submit(client, token)
    assert response.status_code == 303  # type: ignore[attr-defined]

    user = session.exec(select(User)).one()
    assert user.email == "admin@example.org"
    assert user.role == UserRole.ADMIN
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(PASSWORD, user.password_hash)
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.created")).all()
    assert [e.object_id for e in events] == [str(user.id)]

    assert client.get(_url(client)).status_code == 404
    again = _submit(client, token, email="second@example.org")
    # The stale form is refused either way: its CSRF token belonged to the anonymous visit (403), setup is over (404).
    assert again.status_code in (403, 404)  # type: ignore[attr-defined]
    assert len(session.exec(select(User)).all()) == 1


def test_setup_refuses_a_missing_or_forged_csrf_token(client: TestClient, session: Session) -> None:
    _csrf(client)
    assert _submit(client, "").status_code == 403  # type: ignore[attr-defined]
    assert _submit(client, "0" * 64).status_code == 403  # type: ignore[attr-defined]
    client.cookies.clear()
    assert _submit(client, "0" * 64).status_code == 403  # type: ignore[attr-defined]
    assert session.exec(select(User)).all() == []


def test_setup_rerenders_with_errors_and_keeps_the_email(client: TestClient, session: Session) -> None:
    token = _csrf(client)
    response = client.post(
        "/setup?lang=nl",
        data={
            "email": "hr@example.org",
            "password": PASSWORD,
            "password_confirm": "different",
            "csrf_token": token,
            "setup_token": startup.setup_token(client.app.state.settings),  # type: ignore[attr-defined]
        },
    )
    assert response.status_code == 422
    assert "De twee wachtwoorden zijn niet gelijk." in response.text
    assert 'value="hr@example.org"' in response.text

    short = _submit(client, token, password="short", password_confirm="short")
    assert short.status_code == 422  # type: ignore[attr-defined]
    bad_email = _submit(client, token, email="not-an-email")
    assert bad_email.status_code == 422  # type: ignore[attr-defined]
    assert session.exec(select(User)).all() == []


def test_setup_reports_a_short_password_and_a_differing_confirmation_at_once(
    client: TestClient, session: Session
) -> None:
    token = _csrf(client)
    response = client.post(
        "/setup?lang=nl",
        data={
            "email": "hr@example.org",
            "password": "kort",
            "password_confirm": "anders",
            "csrf_token": token,
            "setup_token": startup.setup_token(client.app.state.settings),  # type: ignore[attr-defined]
        },
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="password-error">Gebruik een wachtwoord van minstens 12 tekens.' in page
    assert 'id="password-confirm-error">De twee wachtwoorden zijn niet gelijk.' in page
    assert page.count('aria-invalid="true"') == 2
    # The summary the page opens with takes the focus (app/static/hr.js), as on the HR forms.
    assert 'class="notice error-summary" tabindex="-1"' in page and "/static/hr.js" in page
    assert session.exec(select(User)).all() == []


def test_setup_reports_a_guessable_password_and_a_differing_confirmation_at_once(client: TestClient) -> None:
    token = _csrf(client)
    response = _submit(client, token, password="password1234", password_confirm="password12345")
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    assert 'id="password-error">This password is too common' in page
    assert 'id="password-confirm-error">The two passwords differ.' in page


def test_home_page_links_onward(client: TestClient) -> None:
    response = client.get("/?lang=nl")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.text
    assert 'href="/hr"' in response.text
    assert 'href="/self-test"' in response.text
    assert response.cookies.get("lang") == "nl"
