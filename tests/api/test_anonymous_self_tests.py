"""An anonymous self-test is its taker's alone: its privacy notice promises that nobody at an employer sees it.
So the API neither lists nor opens it, no webhook announces it, and HR cannot act on it; its link still works."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode, AssessmentStatus
from app.events.models import OutboxEvent
from tests.api.conftest import MakeKey, complete, order_self_test
from tests.web.candidate.conftest import csrf_from
from tests.web.hr.helpers import sign_in_as


def test_the_api_does_not_see_an_anonymous_self_test(
    client: TestClient, session: Session, bank: Session, make_key: MakeKey
) -> None:
    headers = make_key("read", "write")
    ordered = order_self_test(client, headers)
    anonymous = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.ANONYMOUS, language="en", actor="anonymous"
    ).assessment
    complete(bank, anonymous.id)
    assert anonymous.status == AssessmentStatus.COMPLETED

    listed = client.get("/api/v1/assessments", headers=headers).json()["items"]
    assert [a["id"] for a in listed] == [ordered]
    assert client.get("/api/v1/assessments?status=completed", headers=headers).json()["items"] == []
    base = f"/api/v1/assessments/{anonymous.id}"
    refused = [
        client.get(base, headers=headers),
        client.get(f"{base}/result", headers=headers),
        client.put(f"{base}/answers", json={"answers": {"roi_campaign": 65}}, headers=headers),
        client.post(f"{base}/submit", json={"answers": {}}, headers=headers),
        client.post(f"{base}/cancel", headers=headers),
    ]
    for answer in refused:
        assert answer.status_code == 404, answer.text
        assert answer.json()["detail"] == f"assessment '{anonymous.id}' does not exist"
    # Nothing changed: the taker's answers and result are as they left them.
    session.refresh(anonymous)
    assert anonymous.status == AssessmentStatus.COMPLETED
    assert "roi_campaign" in assessments.answers_of(session, anonymous)


def test_no_event_announces_an_anonymous_self_test(bank: Session) -> None:
    anonymous = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.ANONYMOUS, language="en", actor="anonymous"
    ).assessment
    complete(bank, anonymous.id)
    invited = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="test"
    ).assessment
    complete(bank, invited.id)
    subjects = bank.exec(
        select(OutboxEvent.subject_id).where(col(OutboxEvent.subject_id).in_([anonymous.id, invited.id]))
    ).all()
    assert set(subjects) == {invited.id}


def test_hr_neither_lists_nor_withdraws_an_anonymous_self_test(
    client: TestClient, session: Session, bank: Session
) -> None:
    anonymous = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.ANONYMOUS, language="en", actor="anonymous"
    ).assessment
    sign_in_as(client, session, UserRole.ADMIN)
    page = client.get("/hr/assessments")
    assert anonymous.id not in page.text
    token = csrf_from(page.text)
    for path in (f"/hr/invitations/{anonymous.id}/revoke", f"/hr/invitations/{anonymous.id}/resend"):
        assert client.post(path, data={"csrf_token": token}, follow_redirects=False).status_code == 404
    session.refresh(anonymous)
    assert anonymous.status != AssessmentStatus.CANCELLED
