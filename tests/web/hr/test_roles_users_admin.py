"""Roles, users, outbox and audit pages."""

from __future__ import annotations

import re

import markupsafe
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import i18n, labels
from app.accounts.models import User, UserRole, UserSession
from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.mail import service as mail
from app.roles.models import Role
from tests.assessments.conftest import example
from tests.web.hr.helpers import PASSWORD, csrf, login, make_user, sign_in_as


def test_role_create_assess_and_show_risks(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    token = csrf(client, "/hr/roles/new")
    empty = client.post("/hr/roles", data={"title": "  ", "csrf_token": token})
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.text
    made = client.post(
        "/hr/roles",
        data={"title": " Social media manager ", "language": "nl", "csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 303
    role = bank.exec(select(Role)).one()
    assert role.title == "Social media manager"
    detail = client.get(made.headers["location"])
    assert "Assess this role" in detail.text

    started = client.post(f"/hr/roles/{role.id}/assess", data={"csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303
    assessment = bank.exec(select(Assessment).where(Assessment.role_id == role.id)).one()
    assert assessment.mode == "hr" and started.headers["location"].endswith(f"/hr/assessments/{assessment.id}/form")
    # A second click continues the same assessment instead of starting another one.
    again = client.post(f"/hr/roles/{role.id}/assess", data={"csrf_token": token}, follow_redirects=False)
    assert again.headers["location"] == started.headers["location"]
    assert len(bank.exec(select(Assessment)).all()) == 1

    assessments.save_answers(bank, assessment, example("role-assessment--one-person-show"))
    result = assessments.submit(bank, assessment, actor="test")
    risks = result.result["role"]["risks"]
    assert risks
    shown = client.get(f"/hr/roles/{role.id}?lang=nl")
    dutch = i18n.load_translations()["nl"].gettext
    for risk in risks:
        assert str(markupsafe.escape(labels.label(risk["code"], "risk", dutch))) in shown.text
    assert "Succes gemeten in volgers en likes" in shown.text  # vanity_kpis, in plain words
    assert "IJdelheids" not in shown.text
    assert "Deze functie opnieuw beoordelen" in shown.text


def test_admin_manages_users_and_changes_apply_at_once(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/users")
    short = client.post(
        "/hr/users", data={"email": "new@example.org", "role": "viewer", "password": "short", "csrf_token": token}
    )
    assert short.status_code == 422 and 'value="new@example.org"' in short.text
    created = client.post(
        "/hr/users",
        data={"email": "New@Example.org", "role": "assessor", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert created.status_code == 303
    user = session.exec(select(User).where(User.email == "new@example.org")).one()
    assert user.role == "assessor"

    other = TestClient(client.app, base_url="http://testserver")
    assert login(other, "new@example.org").status_code == 303  # type: ignore[attr-defined]
    assert other.get("/hr/candidates").status_code == 200
    refused = client.post(f"/hr/users/{user.id}/role", data={"role": "owner", "csrf_token": token})
    assert refused.status_code == 422 and "role: Choose one of the options." in refused.text
    client.post(f"/hr/users/{user.id}/role", data={"role": "viewer", "csrf_token": token})
    session.refresh(user)
    assert user.role == "viewer"
    assert other.get("/hr/candidates", follow_redirects=False).status_code == 303  # signed out by the change
    client.post(f"/hr/users/{user.id}/active", data={"csrf_token": token})
    session.refresh(user)
    assert not user.is_active and session.exec(select(UserSession).where(UserSession.user_id == user.id)).all() == []
    actions = [
        e.action
        for e in session.exec(
            select(AuditEvent).where(AuditEvent.object_id == str(user.id)).order_by(col(AuditEvent.id))
        )
    ]
    assert actions == ["user.created", "user.login", "user.role_changed", "user.deactivated"]


def test_outbox_shows_held_mail_to_admins(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    message = mail.queue(session, to="c@example.org", subject="Invite", body="Link: X", language="en", kind="t")
    listing = client.get("/hr/outbox?status=held")
    assert listing.status_code == 200 and "c@example.org" in listing.text
    assert "c@example.org" not in client.get("/hr/outbox?status=sent").text
    assert "Link: X" in client.get(f"/hr/outbox/{message.id}").text
    assert client.get("/hr/outbox?status=weird").status_code == 422


def test_audit_log_filters_and_pages(client: TestClient, session: Session) -> None:
    admin = sign_in_as(client, session, UserRole.ADMIN)
    from app.audit import service as audit

    for i in range(60):
        audit.record(session, actor="robot", action="report.viewed", object_type="candidate", object_id=i)
    page = client.get("/hr/audit?actor=robot&action=report.")
    assert page.status_code == 200
    assert page.text.count("<td>Report viewed</td>") == 50  # the action in words, not its code
    nxt = re.search(r'href="([^"]+)" rel="next"', page.text)
    assert nxt
    rest = client.get(nxt.group(1).replace("&amp;", "&"))
    assert rest.text.count("<td>Report viewed</td>") == 10
    only = client.get("/hr/audit?object_type=candidate&object_id=7")
    assert only.text.count("<td>Report viewed</td>") == 1
    assert "<td>Candidate 7</td>" in only.text
    mine = client.get(f"/hr/audit?actor={admin.email}")
    assert "<td>Signed in</td>" in mine.text and "<td>Report viewed</td>" not in mine.text
    assert client.get("/hr/audit?date_from=yesterday").status_code == 422
    assert client.get("/hr/audit?date_from=2000-01-01&date_to=2000-01-02").text.count("<td>Report viewed</td>") == 0
    dutch = client.get("/hr/audit?actor=robot&action=report.viewed&lang=nl").text
    assert dutch.count("<td>Rapport bekeken</td>") == 50 and '<option value="report.viewed" selected>' in dutch


def test_audit_action_filter_finds_the_code_and_those_below_it_not_longer_names(
    client: TestClient, session: Session
) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    from app.audit import service as audit

    audit.record(session, actor="robot", action="candidate.retention_consent", object_type="candidate", object_id=1)
    audit.record(
        session, actor="robot", action="candidate.retention_consent_withdrawn", object_type="candidate", object_id=1
    )
    exact = client.get("/hr/audit?actor=robot&action=candidate.retention_consent").text
    assert exact.count("<tr>") - 1 == 1, "the chosen action, not another whose name starts the same"
    below = client.get("/hr/audit?actor=robot&action=candidate").text
    assert below.count("<tr>") - 1 == 2, "a group finds every action below it"


def test_audit_object_type_filter_offers_each_kind_once_and_users_find_their_events(
    client: TestClient, session: Session
) -> None:
    admin = sign_in_as(client, session, UserRole.ADMIN)
    page = client.get("/hr/audit").text
    select = re.search(r'<select[^>]*name="object_type".*?</select>', page, re.S)
    assert select
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))
    names = [name for _, name in options]
    assert len(names) == len(set(names)), f"two choices read the same: {options}"
    # The "User" choice finds the events about users (their sign-ins), as the log stores them.
    user = next(value for value, name in options if name == "User")
    found = client.get(f"/hr/audit?object_type={user}&object_id={admin.id}").text
    assert "<td>Signed in</td>" in found


def test_nav_shows_admin_sections_to_admins_only(client: TestClient, session: Session) -> None:
    make_user(session, UserRole.VIEWER)
    login(client, "viewer@example.org")
    page = client.get("/hr/candidates").text
    assert "/hr/roles" in page and "/hr/users" not in page and "/hr/audit" not in page


def test_assessments_list_filters(client: TestClient, bank: Session, settings: object) -> None:
    from app.candidates import invitations
    from app.candidates import service as candidates
    from app.candidates.models import CandidateCreate

    sign_in_as(client, bank, UserRole.VIEWER)
    person = candidates.create(bank, CandidateCreate(first_name="Lotte", last_name="Bakker"), actor="t")
    done = invitations.invite(bank, settings, person, actor="t", expires_at=None).assessment  # type: ignore[arg-type]
    assessments.save_answers(bank, done, example("self-test--senior"))
    verdict = assessments.submit(bank, done, actor="t").verdict
    invitations.invite(bank, settings, person, actor="t", expires_at=None)  # type: ignore[arg-type]
    every = client.get("/hr/assessments")
    assert every.status_code == 200 and every.text.count("Lotte Bakker") == 2
    assert client.get(f"/hr/assessments?status=completed&verdict={verdict}").text.count("Lotte Bakker") == 1
    assert client.get("/hr/assessments?questionnaire_id=hr-assessment").text.count("Lotte Bakker") == 0
    assert client.get("/hr/assessments?status=nonsense").status_code == 422
