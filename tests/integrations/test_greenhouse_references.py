"""Greenhouse after the test: referees and HR's assessment change the combined result, Greenhouse is told
again (the completion PATCH) and test_status then reports the combined result."""

from __future__ import annotations

import base64

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.assessments import service as assessments
from app.candidates import service as candidates
from app.config import Settings
from app.integrations.greenhouse.models import GreenhouseInterview
from app.privacy import service as privacy
from app.referees import service as referees
from app.referees.models import RefereeCreate
from app.reports import service as reports
from app.webhooks import delivery
from app.webhooks.models import WebhookDelivery
from tests import factories as factory
from tests.api.conftest import complete
from tests.web.referee.test_pages import ANSWERS
from tests.webhooks.receivers import receiver

GH = "/integrations/greenhouse"


def test_greenhouse_hears_of_the_combined_result(
    client: TestClient, session: Session, settings: Settings, bank: Session
) -> None:
    _key, secret = apikeys.create_key(session, name="greenhouse", scopes=("greenhouse",), actor="t")
    auth = (secret, "")
    basic = "Basic " + base64.b64encode(f"{secret}:".encode()).decode()
    with receiver("/v1/partner/tests/9/complete") as greenhouse, httpx.Client(timeout=5) as http:
        order = {
            "partner_test_id": "self-test",
            "candidate": {
                "first_name": "Mila",
                "last_name": "Jansen",
                "preferred_name": None,
                "email": "m@example.com",
            },
            "url": greenhouse.url,
        }
        interview_id = client.post(f"{GH}/send_test", auth=auth, json=order).json()["partner_interview_id"]
        interview = session.get(GreenhouseInterview, interview_id)
        assert interview is not None and interview.assessment_id and interview.candidate_id
        complete(session, interview.assessment_id, "self-test--midlevel")
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        assert [r.method for r in greenhouse.requests] == ["PATCH"]

        def status() -> dict[str, object]:
            answer = client.get(f"{GH}/test_status", params={"partner_interview_id": interview_id}, auth=auth)
            assert answer.status_code == 200
            return dict(answer.json())

        alone = status()
        assert alone["metadata"]["Referee statements"] == 0  # type: ignore[index]

        # HR records the candidate's consent and adds a referee, who answers.
        candidate = candidates.get(session, interview.candidate_id)
        referees.record_consent(session, candidate, actor="hr@example.org")
        data = RefereeCreate(name="Marta Visser", email="marta@example.org", relation="manager", period="2021-2024")
        added = referees.add(session, candidate, data, actor="hr", expires_at=None)
        _referee, statement = referees.by_token(session, added.token)
        assessments.save_answers(session, statement, ANSWERS | {"ref_corporate_communication": None})
        assessments.submit(session, statement, actor="referee")
        assert delivery.dispatch(session) == 1  # one PATCH to the test's callback, nothing for the statement
        delivery.deliver_due(session, settings, http)
        assert [r.method for r in greenhouse.requests] == ["PATCH", "PATCH"]
        assert greenhouse.requests[1].path == "/v1/partner/tests/9/complete"
        assert greenhouse.requests[1].headers["authorization"] == basic

        combined = reports.combined_result(session, candidate, settings.ats_language).result
        assert combined is not None and combined["references"]["referees"]
        now = status()
        assert now["partner_status"] == "complete"
        assert now["partner_score"] == combined["evidence"]["overall"]
        metadata = now["metadata"]
        assert isinstance(metadata, dict)
        assert metadata["Referee statements"] == 1
        assert metadata["Evidence score (0-100)"] == now["partner_score"]
        assert metadata["Verdict"] == combined["verdict"]["label"]

        # HR's assessment joins the result: Greenhouse is told again.
        factory.completed(session, "hr-assessment", "midlevel", candidate_id=candidate.id)
        assert delivery.dispatch(session) == 1
        delivery.deliver_due(session, settings, http)
        assert len(greenhouse.requests) == 3

        # Erased: the key kept for these PATCHes goes, and nothing more is sent.
        privacy.erase_candidate(session, candidate, actor="test")
        delivery.dispatch(session)
        session.refresh(interview)
        assert interview.callback_credential is None
    sent = session.exec(select(WebhookDelivery).where(WebhookDelivery.greenhouse_interview_id == interview_id)).all()
    assert len(sent) == 3
