"""Referees through the API: consent, create with Idempotency-Key, status, revoke and resend, the combined
result with references, and the reference.completed and result.updated webhooks."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select
from standardwebhooks import Webhook

from app.assessments import service as assessments
from app.config import Settings
from app.events.models import OutboxEvent
from app.mail.models import MailMessage
from app.referees import service as referees
from app.webhooks import delivery
from app.webhooks import service as webhooks
from tests import factories as factory
from tests.web.referee.test_pages import ANSWERS
from tests.webhooks.receivers import receiver

MARTA: dict[str, Any] = {
    "name": "Marta Visser",
    "email": "Marta@Example.org",
    "relation": "manager",
    "period": "2021-2024",
    "language": "en",
}


def _consented(client: TestClient, headers: dict[str, str], candidate_id: int) -> None:
    given = client.post(f"/api/v1/candidates/{candidate_id}/reference-consent", json={"agreed": True}, headers=headers)
    assert given.status_code == 200, given.text
    assert given.json()["candidate_id"] == candidate_id and given.json()["recorded_by"].startswith("api")


def _answer(session: Session, assessment_id: str) -> None:
    """The referee answers every question and submits, as on their link."""
    statement = assessments.get(session, assessment_id)
    assert assessments.save_answers(session, statement, ANSWERS | {"ref_corporate_communication": None}) == {}
    assessments.submit(session, statement, actor="referee")


def _events(session: Session, event_type: str) -> list[dict[str, Any]]:
    rows = session.exec(
        select(OutboxEvent).where(OutboxEvent.event_type == event_type).order_by(col(OutboxEvent.id))
    ).all()
    return [row.payload["data"] for row in rows]


def test_referees_through_the_api(
    client: TestClient, session: Session, admin_headers: dict[str, str], bank: Session
) -> None:
    person = factory.persona(bank, "midlevel")
    url = f"/api/v1/candidates/{person.id}/referees"
    refused = client.post(url, json=MARTA, headers=admin_headers)
    assert refused.status_code == 409 and refused.json()["field"] == "consent"
    assert (
        client.post(
            f"/api/v1/candidates/{person.id}/reference-consent", json={"agreed": False}, headers=admin_headers
        ).json()["errors"][0]["field"]
        == "agreed"
    )
    _consented(client, admin_headers, person.id)

    bad = client.post(url, json=MARTA | {"email": "not-an-address"}, headers=admin_headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "email"
    # The schema's pattern lets it through; the address check does not (no such top-level domain).
    bad = client.post(url, json=MARTA | {"email": "0@0.0"}, headers=admin_headers)
    assert bad.status_code == 422 and bad.json()["field"] == "email"
    bad = client.post(url, json=MARTA | {"relation": "friend"}, headers=admin_headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "relation"

    key = {"Idempotency-Key": "ref-1"} | admin_headers
    made = client.post(url, json=MARTA, headers=key)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "invited" and body["email"] == "marta@example.org"
    assert body["invitation_url"].startswith("http") and "/r/" in body["invitation_url"]
    again = client.post(url, json=MARTA, headers=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == body  # the link too, kept sealed
    assert len(referees.list_for(session, person.id)) == 1
    mails = session.exec(select(MailMessage).where(MailMessage.to_address == "marta@example.org")).all()
    assert len(mails) == 1

    twice = client.post(url, json=MARTA, headers=admin_headers)
    assert twice.status_code == 409 and twice.json()["field"] == "email"

    listed = client.get(url, headers=admin_headers).json()["items"]
    assert [(r["id"], r["status"], r["invitation_url"]) for r in listed] == [(body["id"], "invited", None)]
    assert client.get(f"/api/v1/referees/{body['id']}", headers=admin_headers).json()["status"] == "invited"
    assert client.get("/api/v1/referees/999999", headers=admin_headers).status_code == 404

    renewed = client.post(
        f"/api/v1/referees/{body['id']}/resend", json={"send_invitation": False}, headers=admin_headers
    )
    assert renewed.status_code == 200 and renewed.json()["invitation_url"] != body["invitation_url"]
    old_token = body["invitation_url"].rsplit("/", 1)[1]
    assert client.get(f"/r/{old_token}").status_code in (404, 410)
    past = client.post(
        f"/api/v1/referees/{body['id']}/resend", json={"expires_at": "2001-01-01T00:00:00Z"}, headers=admin_headers
    )
    assert past.status_code == 422 and "expires_at" in past.json()["detail"]
    revoked = client.post(f"/api/v1/referees/{body['id']}/revoke", headers=admin_headers)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert client.post(f"/api/v1/referees/{body['id']}/resend", json={}, headers=admin_headers).status_code == 409

    second = client.post(
        url, json=MARTA | {"email": "jan@example.org", "send_invitation": False}, headers=admin_headers
    )
    assert second.status_code == 201
    _answer(session, second.json()["assessment_id"])
    done = client.get(f"/api/v1/referees/{second.json()['id']}", headers=admin_headers).json()
    assert done["status"] == "completed" and done["completed_at"]
    cannot = client.post(f"/api/v1/referees/{done['id']}/revoke", headers=admin_headers)
    assert cannot.status_code == 409

    open_one = client.post(url, json=MARTA | {"email": "ria@example.org"}, headers=admin_headers).json()
    withdrawn = client.delete(f"/api/v1/candidates/{person.id}/reference-consent", headers=admin_headers)
    assert withdrawn.status_code == 200 and withdrawn.json() == {"candidate_id": person.id, "revoked": 1}
    assert client.get(f"/api/v1/referees/{open_one['id']}", headers=admin_headers).json()["status"] == "revoked"
    no_consent = client.post(url, json=MARTA | {"email": "kees@example.org"}, headers=admin_headers)
    assert no_consent.status_code == 409 and no_consent.json()["field"] == "consent"

    result = client.get(f"/api/v1/candidates/{person.id}/result?lang=en", headers=admin_headers)
    assert result.status_code == 200
    combined = result.json()
    assert combined["reference_ids"] == [done["assessment_id"]]
    assert combined["self_test_id"] and combined["hr_assessment_id"]
    references = combined["result"]["references"]
    assert [r["id"] for r in references["referees"]] == [done["id"]]
    assert {c["claim"] for c in references["claims"]}

    # Erased: the stored reply naming the referee is forgotten, and the candidate is read-only.
    assert client.delete(f"/api/v1/candidates/{person.id}", headers=admin_headers).status_code == 204
    delivery.dispatch(session)
    replay = client.post(url, json=MARTA, headers=key)
    assert replay.status_code == 410 and "Marta" not in replay.text
    assert client.get(url, headers=admin_headers).json()["items"][0]["name"] == "[erased]"


def test_read_key_cannot_change_referees(client: TestClient, make_key: Any, bank: Session) -> None:
    person = factory.candidate(bank)
    reader = make_key("read")
    denied = client.post(f"/api/v1/candidates/{person.id}/reference-consent", json={"agreed": True}, headers=reader)
    assert denied.status_code == 403 and denied.json()["required_scope"] == "write"
    assert client.get(f"/api/v1/candidates/{person.id}/referees", headers=reader).json() == {"items": []}
    assert client.get(f"/api/v1/candidates/{person.id}/result", headers=reader).json()["result"] is None


def test_reference_completed_and_result_updated_are_delivered(
    client: TestClient, session: Session, settings: Settings, admin_headers: dict[str, str], bank: Session
) -> None:
    person = factory.candidate(bank)
    self_test = factory.completed(bank, "self-test", "midlevel", candidate_id=person.id)
    assert _events(bank, "result.updated") == []  # a first result is announced by assessment.completed
    _consented(client, admin_headers, person.id)
    made = client.post(
        f"/api/v1/candidates/{person.id}/referees", json=MARTA | {"send_invitation": False}, headers=admin_headers
    ).json()
    delivery.dispatch(session)  # the self-test's events went out before this endpoint existed
    with receiver() as hook, httpx.Client(timeout=5) as http:
        endpoint = webhooks.create_endpoint(
            session,
            settings,
            url=hook.url,
            events=["reference.completed", "result.updated", "assessment.completed"],
            description=None,
            actor="t",
        )
        _answer(session, made["assessment_id"])
        assert delivery.dispatch(session) == 2  # the statement is no assessment.completed
        assert delivery.deliver_due(session, settings, http) == 2
        got = [Webhook(endpoint.secret).verify(r.body, r.headers) for r in hook.requests]
    assert [g["type"] for g in got] == ["reference.completed", "result.updated"]
    assert got[0]["data"] == {
        "referee_id": made["id"],
        "candidate_id": person.id,
        "assessment_id": made["assessment_id"],
        "relation": "manager",
        "status": "completed",
    }
    assert got[1]["data"] == {
        "candidate_id": person.id,
        "reason": "reference_completed",
        "assessment_id": made["assessment_id"],
    }
    assert "Marta" not in str(got)

    hr = factory.completed(bank, "hr-assessment", "midlevel", candidate_id=person.id)
    assessments.set_rubric(bank, self_test, "result_story", 3, user_id=None)  # type: ignore[arg-type]
    updates = [(e["reason"], e["assessment_id"]) for e in _events(bank, "result.updated")]
    assert updates[1:] == [("assessment_completed", hr.id), ("rubric_rescored", self_test.id)]
