"""The HR pages for export and erasure: who may use them, CSRF, confirmation, and what they do."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts import sessions
from app.accounts.models import User, UserRole
from app.audit.models import AuditEvent
from app.config import Settings
from app.privacy import service as privacy
from tests.privacy.conftest import EMAIL, Taken


def _sign_in(client: TestClient, session: Session, settings: Settings, role: UserRole) -> User:
    user = User(email=f"{role}@hr.example.org", password_hash="x", role=role)
    session.add(user)
    session.flush()
    client.cookies.set(sessions.COOKIE, sessions.start(session, user, settings))
    return user


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def test_export_downloads_json_and_is_audited(
    client: TestClient, taken: Taken, session: Session, settings: Settings
) -> None:
    user = _sign_in(client, session, settings, UserRole.ASSESSOR)
    response = client.get(f"/hr/candidates/{taken.candidate.id}/export.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["candidate"]["email"] == EMAIL
    assert len(body["assessments"]) == 2
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "candidate.exported")).one()
    assert (entry.actor, entry.object_id) == (user.email, str(taken.candidate.id))


def test_viewer_may_not_export(client: TestClient, taken: Taken, session: Session, settings: Settings) -> None:
    _sign_in(client, session, settings, UserRole.VIEWER)
    assert client.get(f"/hr/candidates/{taken.candidate.id}/export.json").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client: TestClient, taken: Taken) -> None:
    response = client.get(f"/hr/candidates/{taken.candidate.id}/export.json", follow_redirects=False)
    assert response.status_code == 303
    assert "/hr/login" in response.headers["location"]


def test_only_an_admin_may_erase(client: TestClient, taken: Taken, session: Session, settings: Settings) -> None:
    _sign_in(client, session, settings, UserRole.ASSESSOR)
    assert client.get(f"/hr/candidates/{taken.candidate.id}/erase").status_code == 403
    response = client.post(f"/hr/candidates/{taken.candidate.id}/erase", data={"confirm": "erase"})
    assert response.status_code == 403
    assert taken.candidate.erased_at is None


def test_erase_needs_csrf_and_confirmation(
    client: TestClient, taken: Taken, session: Session, settings: Settings
) -> None:
    _sign_in(client, session, settings, UserRole.ADMIN)
    url = f"/hr/candidates/{taken.candidate.id}/erase"
    page = client.get(url, params={"lang": "nl"})
    assert page.status_code == 200
    assert "Kandidaat wissen" in page.text
    token = _csrf(page.text)
    assert client.post(url, data={"confirm": "erase", "csrf_token": "forged"}).status_code == 403
    unconfirmed = client.post(url, data={"csrf_token": token})
    assert unconfirmed.status_code == 422
    assert 'aria-invalid="true"' in unconfirmed.text
    assert taken.candidate.erased_at is None

    done = client.post(url, data={"confirm": "erase", "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    session.refresh(taken.candidate)
    assert taken.candidate.erased_at is not None
    assert taken.candidate.first_name == privacy.ERASED and taken.candidate.email is None
    # The page now says it was done instead of offering the button again.
    assert "erase" not in _form_actions(client.get(url).text)


def _form_actions(html: str) -> str:
    return " ".join(re.findall(r'<form[^>]+action="([^"]+)"', html)).replace("/hr/logout", "")
