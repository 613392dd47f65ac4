"""The HR report pages over HTTP: report, decisions, rubric, compare, mentors."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.assessments.models import RubricRating
from app.assessments.service import latest_completed
from app.audit.models import AuditEvent
from app.config import ROOT
from app.mentors import service as mentors
from app.mentors.models import MentorCreate
from app.reports import decisions
from app.reports.service import SELF_TEST
from app.scoring.model import Discipline
from tests import factories as factory
from tests.web.hr.helpers import csrf_from, sign_in_as


def _report(client: TestClient, candidate_id: int) -> str:
    response = client.get(f"/hr/candidates/{candidate_id}/report?lang=en")
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_report_needs_sign_in(client: TestClient, bank: Session) -> None:
    person = factory.persona(bank, "nephew")
    response = client.get(f"/hr/candidates/{person.id}/report", follow_redirects=False)
    assert response.status_code == 303 and "/hr/login" in response.headers["location"]


def test_report_shows_everything_and_is_audited(client: TestClient, bank: Session) -> None:
    viewer = sign_in_as(client, bank, UserRole.VIEWER)
    job = factory.role(bank)
    factory.completed(bank, "role-assessment", "one-person-show", role_id=job.id)
    person = factory.persona(
        bank, "guru", role_id=job.id, result_with_others="<script>alert('x')</script> pure synergy"
    )
    response = client.get(f"/hr/candidates/{person.id}/report?lang=en")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = response.text
    assert "Not recommended" in page
    assert '<mark class="buzzword">synergy</mark>' in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "4 February 2004" in page and "Impossible" in page  # Facebook's launch date beside the claim
    assert "Sentiment yield margin" in page
    assert "One-person show" in page and "<svg" in page
    assert "hr-report.css" in page
    # A viewer reads, but gets no forms that change anything.
    assert "/decisions" not in page and 'name="decision"' not in page and "/rubric" not in page
    events = bank.exec(select(AuditEvent).where(AuditEvent.action == "report.viewed")).all()
    assert [(e.actor, e.object_id) for e in events] == [(viewer.email, str(person.id))]


def test_report_in_dutch(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "nephew")
    page = client.get(f"/hr/candidates/{person.id}/report?lang=nl").text
    assert "Alleen onder begeleiding" in page and "Beslissing" in page


def test_print_css_hides_the_workspace(client: TestClient) -> None:
    css = (ROOT / "app" / "static" / "hr-report.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".no-print" in css
    assert client.get("/static/hr-report.css").status_code == 200


def test_override_without_reason_is_422_and_with_reason_is_logged(client: TestClient, bank: Session) -> None:
    user = sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "guru")
    token = csrf_from(_report(client, person.id))  # type: ignore[arg-type]
    url = f"/hr/candidates/{person.id}/decisions?lang=en"
    refused = client.post(url, data={"decision": "hire", "reason": "", "csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 422
    assert "Give the reason for the override" in refused.text
    assert decisions.history(bank, person.id) == []  # type: ignore[arg-type]
    done = client.post(
        url,
        data={"decision": "hire", "reason": "Strong references after all.", "note": "", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("#decision")
    [decision] = decisions.history(bank, person.id)  # type: ignore[arg-type]
    assert decision.is_override and decision.decided_by == user.id and decision.recommended_verdict == "not_recommended"
    logged = bank.exec(select(AuditEvent).where(AuditEvent.action == "decision.override")).one()
    assert logged.actor == user.email and logged.detail["decided"] == "hire"
    page = _report(client, person.id)  # type: ignore[arg-type]
    assert "override of the recommendation" in page and "Strong references after all." in page


def test_decision_following_the_recommendation_needs_no_reason(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    person = factory.persona(bank, "nephew")
    token = csrf_from(_report(client, person.id))  # type: ignore[arg-type]
    response = client.post(
        f"/hr/candidates/{person.id}/decisions",
        data={"decision": "hire_with_mentor", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert bank.exec(select(AuditEvent).where(AuditEvent.action == "decision.recorded")).one()


def test_viewer_cannot_decide(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "nephew")
    token = csrf_from(_report(client, person.id))  # type: ignore[arg-type]
    response = client.post(f"/hr/candidates/{person.id}/decisions", data={"decision": "reject", "csrf_token": token})
    assert response.status_code == 403


def test_decision_needs_the_csrf_token(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "nephew")
    response = client.post(f"/hr/candidates/{person.id}/decisions", data={"decision": "reject"})
    assert response.status_code == 403


def test_rubric_rating_from_the_report(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "nephew")
    page = _report(client, person.id)  # type: ignore[arg-type]
    assert "Rubric rating" in page
    report_self_test = latest_completed(bank, SELF_TEST, candidate_id=person.id)  # type: ignore[arg-type]
    assert report_self_test is not None
    response = client.post(
        f"/hr/assessments/{report_self_test.id}/rubric",
        data={"item_id": "result_story", "points": "2", "csrf_token": csrf_from(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].endswith("#text-result_story")
    rating = bank.exec(select(RubricRating).where(RubricRating.assessment_id == report_self_test.id)).one()
    assert rating.points == 2
    bad = client.post(
        f"/hr/assessments/{report_self_test.id}/rubric",
        data={"item_id": "result_story", "points": "7", "csrf_token": csrf_from(page)},
    )
    assert bad.status_code == 422


def test_compare_sorts_server_side(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    job = factory.role(bank)
    senior = factory.persona(bank, "senior", role_id=job.id)
    guru = factory.persona(bank, "guru", role_id=job.id)
    factory.candidate(bank, "Nobody", "Yet", role_id=job.id)

    def order(query: str) -> list[str]:
        response = client.get(f"/hr/roles/{job.id}/compare?lang=en&{query}")
        assert response.status_code == 200
        text = response.text
        names = ["Senior Persona", "Guru Persona", "Nobody Yet"]
        return sorted(names, key=text.index)

    assert order("sort=evidence&order=desc") == ["Senior Persona", "Guru Persona", "Nobody Yet"]
    assert order("sort=evidence&order=asc") == ["Guru Persona", "Senior Persona", "Nobody Yet"]
    assert order("sort=claims&order=desc") == ["Guru Persona", "Senior Persona", "Nobody Yet"]
    assert order("sort=verdict&order=asc") == ["Senior Persona", "Guru Persona", "Nobody Yet"]
    assert order("sort=roi&order=desc") == ["Senior Persona", "Guru Persona", "Nobody Yet"]
    assert order("sort=name&order=asc") == ["Guru Persona", "Senior Persona", "Nobody Yet"]
    page = client.get(f"/hr/roles/{job.id}/compare?lang=en").text
    assert f"/hr/candidates/{senior.id}/report" in page and f"/hr/candidates/{guru.id}/report" in page
    assert client.get(f"/hr/roles/{job.id}/compare?sort=salary").status_code == 422


def test_assign_mentor_respects_capacity(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    first, second = factory.persona(bank, "nephew"), factory.persona(bank, "guru")
    mentor = mentors.create(
        bank,
        MentorCreate(
            name="Carla Comms",
            email="carla@example.org",
            discipline=Discipline.MARKETING,
            years_experience=25,
            languages=["en"],
            capacity=1,
        ),
        actor="test",
    )
    page = _report(client, first.id)  # type: ignore[arg-type]
    assert "Carla Comms" in page
    token = csrf_from(page)
    ok = client.post(
        f"/hr/candidates/{first.id}/mentor",
        data={"mentor_id": str(mentor.id), "csrf_token": token},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert "Mentored by Carla Comms" in _report(client, first.id)  # type: ignore[arg-type]
    full = client.post(
        f"/hr/candidates/{second.id}/mentor?lang=en", data={"mentor_id": str(mentor.id), "csrf_token": token}
    )
    assert full.status_code == 409
    assert "This mentor is full" in full.text
    listing = client.get("/hr/mentors?lang=en").text
    assert "1 / 1" in listing and "full" in listing


def test_mentor_registry_form(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    token = csrf_from(client.get("/hr/mentors").text)
    created = client.post(
        "/hr/mentors",
        data={
            "name": "Petra PR",
            "email": "petra@example.org",
            "discipline": "pr",
            "years_experience": "18",
            "capacity": "3",
            "languages": ["nl", "en"],
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    [row] = mentors.registry(bank)
    assert (row.mentor.name, row.mentor.languages, row.mentor.capacity) == ("Petra PR", ["en", "nl"], 3)
    bad = client.post(
        "/hr/mentors?lang=en",
        data={
            "name": "X",
            "email": "nope",
            "discipline": "pr",
            "years_experience": "3",
            "capacity": "1",
            "languages": ["en"],
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422 and "&#39;nope&#39; is not an e-mail address." in bad.text


def test_end_assignment_from_the_mentor_page(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.candidate(bank)
    mentor = mentors.create(
        bank,
        MentorCreate(
            name="Mo Mentor",
            email="mo@example.org",
            discipline=Discipline.PR,
            years_experience=12,
            languages=["nl"],
            capacity=1,
        ),
        actor="test",
    )
    assignment = mentors.assign(
        bank,
        mentor_id=mentor.id,
        candidate_id=person.id,
        plan={},
        user_id=None,
        actor="test",  # type: ignore[arg-type]
    )
    page = client.get("/hr/mentors?lang=en").text
    assert "Mo Mentor" in page and f"/hr/mentor-assignments/{assignment.id}/end" in page
    ended = client.post(
        f"/hr/mentor-assignments/{assignment.id}/end",
        data={"csrf_token": csrf_from(page), "back": "mentors"},
        follow_redirects=False,
    )
    assert ended.status_code == 303 and ended.headers["location"].endswith("/hr/mentors")
    bank.refresh(assignment)
    assert assignment.ended_at is not None
    assert "No running assignments." in client.get("/hr/mentors?lang=en").text
