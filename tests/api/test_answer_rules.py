"""Who may answer through the API, and what a submit keeps, refuses and repeats."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import AssessmentMode, Result
from app.events.models import OutboxEvent
from tests import factories as factory
from tests.api.conftest import example, order_self_test
from tests.web.referee.test_pages import ANSWERS as REFEREE_ANSWERS


def _statement(client: TestClient, headers: dict[str, str], candidate_id: int) -> str:
    """Add a referee through the API and return the id of their statement (an assessment of mode referee)."""
    consent = client.post(
        f"/api/v1/candidates/{candidate_id}/reference-consent", json={"agreed": True}, headers=headers
    )
    assert consent.status_code == 200, consent.text
    referee = client.post(
        f"/api/v1/candidates/{candidate_id}/referees",
        json={"name": "Marta Visser", "email": "marta@example.org", "relation": "manager", "period": "2021-2024"},
        headers=headers,
    )
    assert referee.status_code == 201, referee.text
    return str(referee.json()["assessment_id"])


def test_a_referee_statement_cannot_be_answered_through_the_api(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    person = factory.persona(bank, "midlevel")
    statement_id = _statement(client, admin_headers, person.id)  # type: ignore[arg-type]
    answers = REFEREE_ANSWERS | {"ref_corporate_communication": None}
    put = client.put(f"/api/v1/assessments/{statement_id}/answers", json={"answers": answers}, headers=admin_headers)
    submit = client.post(f"/api/v1/assessments/{statement_id}/submit", json={"answers": answers}, headers=admin_headers)
    for refused in (put, submit):
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["reason"] == "referee_statement"
        assert "referee" in refused.json()["detail"] and statement_id in refused.json()["detail"]
    statement = assessments.get(session, statement_id)
    assert statement.status != "completed" and assessments.answers_of(session, statement) == {}
    assert session.exec(select(OutboxEvent).where(OutboxEvent.event_type == "reference.completed")).all() == []
    # Its report is the candidate's, also once the referee has answered on their own link.
    shown = client.get(f"/api/v1/assessments/{statement_id}", headers=admin_headers).json()
    assert shown["report_url"].endswith(f"/hr/candidates/{person.id}/report")
    assert assessments.save_answers(session, statement, answers) == {}
    assessments.submit(session, statement, actor="referee")
    result = client.get(f"/api/v1/assessments/{statement_id}/result", headers=admin_headers)
    assert result.json()["report_url"].endswith(f"/hr/candidates/{person.id}/report")


def test_an_hr_assessment_cannot_be_answered_through_the_api(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    person = factory.persona(bank, "midlevel")
    made = assessments.create(
        session,
        questionnaire_id="hr-assessment",
        mode=AssessmentMode.HR,
        language="en",
        actor="t",
        candidate_id=person.id,
    )
    url = f"/api/v1/assessments/{made.assessment.id}"
    answers: dict[str, Any] = example("hr-assessment--senior")
    put = client.put(f"{url}/answers", json={"answers": answers}, headers=admin_headers)
    submit = client.post(f"{url}/submit", json={"answers": answers}, headers=admin_headers)
    for refused in (put, submit):
        assert refused.status_code == 403, refused.text
        assert refused.json()["reason"] == "hr_assessment" and "workspace" in refused.json()["detail"]
    assert assessments.answers_of(session, made.assessment) == {}
    assert session.exec(select(Result).where(Result.assessment_id == made.assessment.id)).first() is None


def test_a_submit_with_a_bad_answer_keeps_the_good_ones(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    assessment_id = order_self_test(client, admin_headers)
    url = f"/api/v1/assessments/{assessment_id}"
    answers: dict[str, Any] = example("self-test--guru")
    first = dict(list(answers.items())[:5])
    assert client.put(f"{url}/answers", json={"answers": first}, headers=admin_headers).status_code == 200
    rest = dict(list(answers.items())[5:])
    refused = client.post(
        f"{url}/submit", json={"answers": rest | {"self_title": "guru", "nope": 1}}, headers=admin_headers
    )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert set(body["errors"]) == {"self_title", "nope"}
    assert "item 'self_title'" in body["detail"] and "item 'nope'" in body["detail"]
    assert set(body["kept"]) == set(rest) - {"self_title"} and body["assessment_id"] == assessment_id
    stored = assessments.answers_of(session, assessments.get(session, assessment_id))
    # The earlier answers stay, the valid new ones are kept, the refused one is not stored (the old value stays).
    assert body["saved"] == len(stored) == len(answers)
    assert {k: stored[k] for k in rest if k != "self_title"} == {k: v for k, v in rest.items() if k != "self_title"}
    assert assessments.get(session, assessment_id).status == "started"
    # Nothing given but answers missing: 422 naming them, nothing lost.
    cleared = client.post(f"{url}/submit", json={"answers": {"rate_strategy": None}}, headers=admin_headers)
    assert cleared.status_code == 422 and "rate_strategy" in cleared.json()["errors"]
    assert cleared.json()["saved"] == len(answers) - 1
    submitted = client.post(f"{url}/submit", json={"answers": answers}, headers=admin_headers)
    assert submitted.status_code == 200, submitted.text


def test_a_repeated_submit_returns_the_result_and_other_answers_are_409(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    assessment_id = order_self_test(client, admin_headers)
    url = f"/api/v1/assessments/{assessment_id}/submit"
    answers: dict[str, Any] = example("self-test--guru")
    submitted = client.post(url, json={"answers": answers}, headers=admin_headers)
    assert submitted.status_code == 200, submitted.text
    for retry in ({"answers": answers}, {}, {"answers": {}}):
        again = client.post(url, json=retry, headers=admin_headers)
        assert again.status_code == 200, again.text
        assert again.json()["result"] == submitted.json()["result"]
    changed = client.post(url, json={"answers": {**answers, "self_title": "other"}}, headers=admin_headers)
    assert changed.status_code == 409, changed.text
    assert changed.json()["reason"] == "completed" and "self_title" in changed.json()["detail"]
    assert assessments.answers_of(session, assessments.get(session, assessment_id)) == answers
    assert len(session.exec(select(Result).where(Result.assessment_id == assessment_id)).all()) == 1
