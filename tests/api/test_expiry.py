"""Once expires_at has passed, every reader shows "expired", before the worker (or a request) writes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.apikeys import service as apikeys
from app.assessments.models import Assessment, AssessmentStatus
from app.db import utcnow
from app.integrations.greenhouse.models import GreenhouseInterview
from tests.api.test_referees import MARTA
from tests.web.hr.helpers import sign_in_as

GH = "/integrations/greenhouse"


def _lapse(session: Session, assessment_id: str) -> None:
    """Let the assessment's expiry pass, as time would: the stored status stays open."""
    assessment = session.get(Assessment, assessment_id)
    assert assessment is not None
    assessment.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.add(assessment)
    session.flush()


def _stored_status(session: Session, assessment_id: str) -> str:
    assessment = session.get(Assessment, assessment_id)
    assert assessment is not None
    session.refresh(assessment)
    return str(assessment.status)


def _ordered(client: TestClient, headers: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    body = {"first_name": "Sam", "last_name": "de Vries", "email": "sam@example.com", "language": "en"}
    candidate = client.post("/api/v1/candidates", json=body, headers=headers).json()
    created = client.post(
        "/api/v1/assessments", json={"candidate_id": candidate["id"], "questionnaire_id": "self-test"}, headers=headers
    )
    assert created.status_code == 201, created.text
    return candidate, created.json()


def test_the_api_shows_an_assessment_past_its_expiry_as_expired(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    candidate, created = _ordered(client, admin_headers)
    url = f"/api/v1/assessments/{created['id']}"
    assert client.get(url, headers=admin_headers).json()["status"] == "invited"
    _lapse(session, created["id"])

    assert client.get(url, headers=admin_headers).json()["status"] == "expired"
    filters = {"candidate_id": candidate["id"]}
    listed = client.get("/api/v1/assessments", params=filters, headers=admin_headers).json()["items"]
    assert [a["status"] for a in listed] == ["expired"]
    expired = client.get("/api/v1/assessments", params={**filters, "status": "expired"}, headers=admin_headers)
    assert [a["id"] for a in expired.json()["items"]] == [created["id"]]
    invited = client.get("/api/v1/assessments", params={**filters, "status": "invited"}, headers=admin_headers)
    assert invited.json()["items"] == []
    # Reading wrote nothing: the stored status changes when the worker (or the link) gets to it.
    assert _stored_status(session, created["id"]) == AssessmentStatus.INVITED
    # Answering says the same as reading.
    answered = client.put(f"{url}/answers", json={"answers": {}}, headers=admin_headers)
    assert answered.status_code == 410 and answered.json()["reason"] == "expired"
    assert client.get(url, headers=admin_headers).json()["status"] == "expired"


def test_a_referees_link_past_its_expiry_is_listed_as_expired(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    candidate, _created = _ordered(client, admin_headers)
    url = f"/api/v1/candidates/{candidate['id']}"
    client.post(f"{url}/reference-consent", json={"agreed": True}, headers=admin_headers)
    referee = client.post(f"{url}/referees", json=MARTA, headers=admin_headers).json()
    assert referee["status"] == "invited"
    _lapse(session, referee["assessment_id"])
    assert client.get(f"/api/v1/referees/{referee['id']}", headers=admin_headers).json()["status"] == "expired"
    assert [r["status"] for r in client.get(f"{url}/referees", headers=admin_headers).json()["items"]] == ["expired"]


def test_greenhouse_test_status_shows_expired(client: TestClient, session: Session, bank: Session) -> None:
    _key, secret = apikeys.create_key(session, name="greenhouse", scopes=("greenhouse",), actor="t")
    order = {
        "partner_test_id": "self-test",
        "candidate": {"first_name": "Harold", "last_name": "Potter", "email": "hpotter@example.com"},
        "url": "https://harvest.greenhouse.io/v1/partner/tests/1/complete",
    }
    interview_id = client.post(f"{GH}/send_test", auth=(secret, ""), json=order).json()["partner_interview_id"]
    params = {"partner_interview_id": interview_id}
    assert client.get(f"{GH}/test_status", params=params, auth=(secret, "")).json()["partner_status"] == "invited"
    interview = session.get(GreenhouseInterview, interview_id)
    assert interview is not None and interview.assessment_id is not None
    _lapse(session, interview.assessment_id)
    assert client.get(f"{GH}/test_status", params=params, auth=(secret, "")).json()["partner_status"] == "expired"
    assert _stored_status(session, interview.assessment_id) == AssessmentStatus.INVITED


def test_hr_pages_show_an_assessment_past_its_expiry_as_expired(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    candidate, created = _ordered(client, admin_headers)
    _lapse(session, created["id"])
    sign_in_as(client, bank, UserRole.ASSESSOR)
    # The candidate's assessments table (its header still shows the list summary, see the README).
    assert "<td>Expired</td>" in client.get(f"/hr/candidates/{candidate['id']}").text
    listed = client.get("/hr/assessments", params={"status": "expired"}).text
    assert "<td>Expired</td>" in listed
    assert "<td>Expired</td>" not in client.get("/hr/assessments", params={"status": "invited"}).text
