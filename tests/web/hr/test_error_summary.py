"""Every refused HR form (422) opens with one focusable error summary, and the page loads hr.js, which moves
focus to it (tests/browser/test_hr_error_focus.py drives that in Chromium)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.config import ROOT
from tests import factories as factory
from tests.web.hr.helpers import csrf, csrf_from, sign_in_as

SUMMARY = re.compile(r'<p role="alert" class="notice error-summary" tabindex="-1">')
SCRIPT = '<script src="http://testserver/static/hr.js" defer></script>'


def _has_one_summary(html: str) -> None:
    assert len(SUMMARY.findall(html)) == 1, html[:3000]
    assert SCRIPT in html


def test_refused_hr_forms_open_with_a_focusable_summary(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/roles/new")
    posts = {
        "/hr/roles": {"title": "  "},
        "/hr/candidates": {"first_name": " ", "last_name": "Visser", "email": "nope"},
        "/hr/users": {"email": "nope", "role": "viewer", "password": "short"},
        "/hr/admin/api-keys": {"name": ""},
        "/hr/mentors": {"name": "Mira", "email": "mira@example.org", "years_experience": "tien", "capacity": "2"},
    }
    for path, data in posts.items():
        refused = client.post(path, data={**data, "csrf_token": token})
        assert refused.status_code == 422, (path, refused.text[:500])
        _has_one_summary(refused.text)


def test_pages_without_problems_have_no_summary(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    for path in ("/hr/roles/new", "/hr/candidates/new", "/hr/users", "/hr/admin/api-keys", "/hr/mentors"):
        page = client.get(path)
        assert page.status_code == 200 and not SUMMARY.search(page.text) and SCRIPT in page.text


def test_a_refused_decision_opens_with_a_summary_in_its_section(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "guru")
    token = csrf_from(client.get(f"/hr/candidates/{person.id}/report?lang=en").text)
    url = f"/hr/candidates/{person.id}/decisions?lang=en"
    refused = client.post(url, data={"decision": "hire", "csrf_token": token})
    assert refused.status_code == 422
    _has_one_summary(refused.text)
    summary_at = SUMMARY.search(refused.text)
    assert summary_at and refused.text.index('id="h-decision"') < summary_at.start()


def test_the_script_focuses_the_summary_and_is_served(client: TestClient) -> None:
    script = (ROOT / "app" / "static" / "hr.js").read_text(encoding="utf-8")
    assert ".error-summary[role='alert']" in script and ".focus()" in script
    assert client.get("/static/hr.js").status_code == 200
