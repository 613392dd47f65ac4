"""Contract test: a fake Greenhouse on loopback drives the Assessment Partner API end to end."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.config import Settings
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import MailMessage
from app.webhooks import delivery
from tests.api.conftest import complete
from tests.webhooks.receivers import receiver

GH = "/integrations/greenhouse"


def _key(session: Session, *scopes: str) -> tuple[str, str]:
    _key, secret = apikeys.create_key(session, name="greenhouse", scopes=scopes or ("greenhouse",), actor="t")
    return (secret, "")


def test_greenhouse_flow(client: TestClient, session: Session, settings: Settings, bank: Session) -> None:
    auth = _key(session)
    with receiver("/v1/partner/tests/777/complete") as greenhouse, httpx.Client(timeout=5) as http:
        tests = client.get(f"{GH}/list_tests", auth=auth)
        assert tests.status_code == 200
        assert tests.json() == [
            {"partner_test_id": "self-test", "partner_test_name": tests.json()[0]["partner_test_name"]}
        ]
        sent = client.post(
            f"{GH}/send_test",
            auth=auth,
            json={
                "partner_test_id": "self-test",
                "candidate": {
                    "first_name": "Harry",
                    "last_name": "Potter",
                    "preferred_name": None,
                    "email": "hpotter@example.com",
                    "greenhouse_profile_url": "https://app.greenhouse.io/people/1",
                    "a_field_added_later": True,
                },
                "sent_by": "recruiter@example.com",
                "url": greenhouse.url,
                "another_new_field": {"x": 1},
            },
        )
        assert sent.status_code == 200, sent.text
        interview_id = sent.json()["partner_interview_id"]
        assert isinstance(interview_id, str)
        pending = client.get(f"{GH}/test_status", params={"partner_interview_id": interview_id}, auth=auth).json()
        assert pending["partner_status"] != "complete"
        mails = session.exec(select(MailMessage).where(MailMessage.to_address == "hpotter@example.com")).all()
        assert len(mails) == 1

        interview = session.get(GreenhouseInterview, interview_id)
        assert interview is not None and interview.assessment_id
        complete(session, interview.assessment_id)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        assert greenhouse.arrived.wait(5)
        patch = greenhouse.requests[0]
        assert patch.method == "PATCH" and patch.path == "/v1/partner/tests/777/complete" and patch.body == b""

        status = client.get(f"{GH}/test_status", params={"partner_interview_id": interview_id}, auth=auth)
        assert status.status_code == 200
        body = status.json()
        assert body["partner_status"] == "complete"
        assert body["partner_profile_url"].endswith(f"/hr/candidates/{interview.candidate_id}/report")
        assert isinstance(body["partner_score"], float)
        assert body["metadata"]["verdict"] and "claims_index" in body["metadata"] and "d_prime" in body["metadata"]
        assert all(not isinstance(v, dict | list) for v in body["metadata"].values())

        # Another organisation's key (another key) does not see this test instance.
        other = _key(session)
        assert (
            client.get(f"{GH}/test_status", params={"partner_interview_id": interview_id}, auth=other).status_code
            == 404
        )


def test_auth_and_unknown_resources(client: TestClient, session: Session, bank: Session) -> None:
    assert client.get(f"{GH}/list_tests").status_code == 401
    assert client.get(f"{GH}/list_tests", auth=("tsk_bad_key", "")).status_code == 401
    assert client.get(f"{GH}/list_tests", auth=("tsk_\x00_key", "")).status_code == 401
    bearer_only = _key(session, "read", "write")
    assert client.get(f"{GH}/list_tests", auth=bearer_only).status_code == 403
    auth = _key(session)
    for unknown in ("nope", "x" * 200):
        response = client.get(f"{GH}/test_status", params={"partner_interview_id": unknown}, auth=auth)
        assert response.status_code == 404
    # A control character is refused for what it is (app.inputs), naming the parameter.
    nul = client.get(f"{GH}/test_status", params={"partner_interview_id": "a\x00b"}, auth=auth)
    assert nul.status_code == 422 and nul.json()["field"] == "partner_interview_id"
    unknown_test = client.post(
        f"{GH}/send_test",
        auth=auth,
        json={
            "partner_test_id": "no-such-test",
            "candidate": {"first_name": "A", "last_name": "B", "preferred_name": None, "email": "a@example.com"},
            "url": "http://127.0.0.1:9/x",
        },
    )
    assert unknown_test.status_code == 404


def test_response_error_is_recorded(client: TestClient, session: Session) -> None:
    auth = _key(session)
    answer = client.post(
        f"{GH}/response_error",
        auth=auth,
        json={
            "api_call": "test_status",
            "errors": ["partner_score is not a number"],
            "partner_interview_id": "x1",
            "new": 1,
        },
    )
    assert answer.status_code == 200
    stored = session.exec(select(GreenhouseResponseError)).all()
    assert [(e.api_call, e.errors, e.partner_interview_id) for e in stored] == [
        ("test_status", ["partner_score is not a number"], "x1")
    ]
