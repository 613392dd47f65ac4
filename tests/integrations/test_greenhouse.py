"""Contract test: a fake Greenhouse on loopback drives the Assessment Partner API end to end."""

from __future__ import annotations

import base64

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.assessments.models import Assessment
from app.candidates.models import Candidate
from app.config import Settings
from app.integrations.greenhouse import service as greenhouse_service
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import MailMessage
from app.privacy import service as privacy
from app.webhooks import delivery
from app.webhooks.models import DeliveryStatus, WebhookDelivery
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
        order = {
            "partner_test_id": "self-test",
            "candidate": {
                "first_name": "Harold",
                "last_name": "Potter",
                "preferred_name": "Harry",
                "email": "hpotter@example.com",
                "greenhouse_profile_url": "https://app.greenhouse.io/people/1",
                "a_field_added_later": True,
            },
            "sent_by": "recruiter@example.com",
            "url": greenhouse.url,
            "another_new_field": {"x": 1},
        }
        sent = client.post(f"{GH}/send_test", auth=auth, json=order)
        assert sent.status_code == 200, sent.text
        interview_id = sent.json()["partner_interview_id"]
        assert isinstance(interview_id, str)
        # Greenhouse sends the same order again: the same test instance, no second candidate or e-mail.
        again = client.post(f"{GH}/send_test", auth=auth, json=order)
        assert again.status_code == 200 and again.json() == {"partner_interview_id": interview_id}
        assert len(session.exec(select(Candidate).where(Candidate.email == "hpotter@example.com")).all()) == 1
        pending = client.get(f"{GH}/test_status", params={"partner_interview_id": interview_id}, auth=auth).json()
        assert pending["partner_status"] != "complete"
        mails = session.exec(select(MailMessage).where(MailMessage.to_address == "hpotter@example.com")).all()
        assert len(mails) == 1
        assert mails[0].body_text.startswith("Dear Harry,")

        interview = session.get(GreenhouseInterview, interview_id)
        assert interview is not None and interview.assessment_id and interview.callback_credential
        # The key is kept for the callback only sealed: never in clear.
        assert auth[0] not in interview.callback_credential
        complete(session, interview.assessment_id)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        assert greenhouse.arrived.wait(5)
        patch = greenhouse.requests[0]
        assert patch.method == "PATCH" and patch.path == "/v1/partner/tests/777/complete" and patch.body == b""
        # The documented header: Basic, base64 of the key followed by a colon (empty password).
        assert patch.headers["authorization"] == "Basic " + base64.b64encode(f"{auth[0]}:".encode()).decode()
        session.refresh(interview)
        # Kept (sealed) for the PATCHes sent again when the combined result changes; dropped on erasure.
        assert interview.callback_credential is not None

        status = client.get(f"{GH}/test_status", params={"partner_interview_id": interview_id}, auth=auth)
        assert status.status_code == 200
        body = status.json()
        assert body["partner_status"] == "complete"
        assert body["partner_profile_url"].endswith(f"/hr/candidates/{interview.candidate_id}/report")
        assert isinstance(body["partner_score"], float)
        assert set(body["metadata"]) == {
            "Verdict",
            "Evidence score (0-100)",
            "Claims index (0-100)",
            "Calibration",
            "Overclaiming (d')",
            "Completed (UTC)",
            "Referee statements",
        }
        assert body["metadata"]["Evidence score (0-100)"] == body["partner_score"]
        assert body["metadata"]["Verdict"][0].isupper()  # a label, not a code like ready_with_mentor
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
    # Greenhouse documents 401 for every refused key, a key without the greenhouse scope included.
    no_scope = client.get(f"{GH}/list_tests", auth=bearer_only)
    assert no_scope.status_code == 401 and no_scope.headers["www-authenticate"].startswith("Basic")
    assert "'greenhouse'" in no_scope.json()["detail"]
    auth = _key(session)
    # Greenhouse sends an empty password; a password is refused rather than ignored.
    with_password = client.get(f"{GH}/list_tests", auth=(auth[0], "secret"))
    assert with_password.status_code == 401 and "empty password" in with_password.json()["detail"]
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
    assert answer.status_code == 200 and answer.json() == {"status": 200}
    # Greenhouse's own example sends the ids as numbers.
    numbers = client.post(
        f"{GH}/response_error",
        auth=auth,
        json={"api_call": "list_tests", "errors": ["x"], "partner_test_id": 12345, "partner_interview_id": 299506},
    )
    assert numbers.status_code == 200, numbers.text
    stored = session.exec(select(GreenhouseResponseError).order_by(GreenhouseResponseError.id)).all()
    assert [(e.api_call, e.errors, e.partner_interview_id) for e in stored] == [
        ("test_status", ["partner_score is not a number"], "x1"),
        ("list_tests", ["x"], "299506"),
    ]


def test_response_error_of_any_shape_is_recorded(client: TestClient, session: Session) -> None:
    auth = _key(session)
    reports = [
        {"api_call": "test_status", "errors": [f"error {n}" for n in range(60)]},
        {"api_call": "send_test", "errors": [{"message": "x"}, {"code": 7}], "partner_test_name": 42},
        {"api_call": "list_tests/" + "a" * 300, "errors": ["y"], "partner_test_name": 1.5},
    ]
    for report in reports:
        answer = client.post(f"{GH}/response_error", auth=auth, json=report)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"status": 200}
    stored = session.exec(select(GreenhouseResponseError).order_by(GreenhouseResponseError.id)).all()
    assert len(stored) == 3
    assert stored[0].errors == [f"error {n}" for n in range(50)]
    assert stored[1].errors == ["x", '{"code": 7}'] and stored[1].partner_test_name == "42"
    assert stored[2].api_call == ("list_tests/" + "a" * 300)[:200] and stored[2].partner_test_name == "1.5"


def test_metadata_in_the_organisations_language(session: Session, settings: Settings, bank: Session) -> None:
    auth = _key(session)
    client_key = apikeys.authenticate(session, auth[0])
    assert client_key is not None
    dutch = settings.model_copy(update={"ats_language": "nl", "webhook_allow_private": True})
    interview = greenhouse_service.send_test(
        session,
        dutch,
        client_key,
        credential=auth[0],
        partner_test_id="self-test",
        applicant=greenhouse_service.Applicant("Anna", "de Boer", None, "anna@example.com"),
        callback_url="http://127.0.0.1:9/done",
        profile_url=None,
        sent_by=None,
    )
    assert interview.assessment_id is not None
    complete(session, interview.assessment_id)
    assessment = session.get(Assessment, interview.assessment_id)
    assert assessment is not None and assessment.language == "nl"
    labels = greenhouse_service.metadata(session, dutch, assessment)
    assert set(labels) == {
        "Oordeel",
        "Bewijsscore (0-100)",
        "Claimindex (0-100)",
        "Kalibratie",
        "Overclaimen (d')",
        "Voltooid (UTC)",
        "Referentieverklaringen",
    }
    assert labels["Kalibratie"] in ("In balans", "Overschatting", "Onderschatting")  # the HR pages' terms
    mail = session.exec(select(MailMessage).where(MailMessage.to_address == "anna@example.com")).one()
    assert mail.body_text.startswith("Beste Anna,")


def test_a_rotated_secret_key_still_opens_the_callback_key(
    client: TestClient, session: Session, settings: Settings, bank: Session
) -> None:
    auth = _key(session)
    with receiver("/v1/partner/tests/9/complete") as greenhouse, httpx.Client(timeout=5) as http:
        order = {
            "partner_test_id": "self-test",
            "candidate": {"first_name": "Luna", "last_name": "Lovegood", "preferred_name": None, "email": "l@ex.com"},
            "url": greenhouse.url,
        }
        interview_id = client.post(f"{GH}/send_test", auth=auth, json=order).json()["partner_interview_id"]
        interview = session.get(GreenhouseInterview, interview_id)
        assert interview is not None and interview.assessment_id
        complete(session, interview.assessment_id)
        delivery.dispatch(session)
        # A new secret key without the old one listed: the key cannot be opened, nothing is sent, it is retried.
        rotated = settings.model_copy(update={"secret_key": "rotated-" + "k" * 40})
        assert delivery.deliver_due(session, rotated, http) == 0
        row = session.exec(select(WebhookDelivery)).one()
        assert row.status == DeliveryStatus.PENDING and row.last_error == delivery.UNREADABLE_CREDENTIAL
        assert greenhouse.requests == []
        # Listing the old key as a previous one opens it again.
        row.next_attempt_at = row.created_at
        session.add(row)
        session.flush()
        both = rotated.model_copy(update={"previous_secret_keys": f"unrelated-{'z' * 40},{settings.secret_key}"})
        assert delivery.deliver_due(session, both, http) == 1
        assert greenhouse.requests[0].headers["authorization"] == "Basic " + base64.b64encode(
            f"{auth[0]}:".encode()
        ).decode("ascii")


def test_erasure_forgets_the_preferred_name_and_a_repeated_order_creates_nothing(
    client: TestClient, session: Session, bank: Session
) -> None:
    auth = _key(session)
    order = {
        "partner_test_id": "self-test",
        "candidate": {"first_name": "Nymphadora", "last_name": "Tonks", "preferred_name": "Tonks", "email": "t@ex.com"},
        "url": "http://127.0.0.1:9/v1/partner/tests/tonks",
    }
    interview_id = client.post(f"{GH}/send_test", auth=auth, json=order).json()["partner_interview_id"]
    interview = session.get(GreenhouseInterview, interview_id)
    assert interview is not None and interview.candidate_id is not None
    candidate = session.get(Candidate, interview.candidate_id)
    assert candidate is not None and candidate.preferred_name == "Tonks"
    privacy.erase_candidate(session, candidate, actor="test")
    assert candidate.preferred_name is None and candidate.first_name != "Nymphadora"
    again = client.post(f"{GH}/send_test", auth=auth, json=order)
    assert again.json() == {"partner_interview_id": interview_id}
    assert session.exec(select(Candidate).where(Candidate.email == "t@ex.com")).all() == []
