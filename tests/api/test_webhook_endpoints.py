"""Webhook endpoints through the API: create (secret once, idempotent), list, rotate, disable, delete, deliveries."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from standardwebhooks import Webhook

from app.config import Settings
from app.webhooks import delivery
from app.webhooks.models import WebhookDelivery
from tests.api.conftest import MakeKey
from tests.webhooks.receivers import receiver
from tests.webhooks.test_delivery import _completed

EP = "/api/v1/webhook-endpoints"


def test_endpoint_lifecycle_through_the_api(
    client: TestClient, session: Session, settings: Settings, make_key: MakeKey, bank: Session
) -> None:
    headers = make_key("webhooks")
    with receiver() as hook, httpx.Client(timeout=5) as http:
        body = {"url": hook.url, "events": ["assessment.completed"], "description": "ATS"}
        created = client.post(EP, json=body, headers={**headers, "Idempotency-Key": "ep-1"})
        assert created.status_code == 201, created.text
        endpoint = created.json()
        assert endpoint["secret"].startswith("whsec_") and endpoint["active"] is True
        replay = client.post(EP, json=body, headers={**headers, "Idempotency-Key": "ep-1"})
        assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
        assert replay.json()["id"] == endpoint["id"]

        listed = client.get(EP, headers=headers).json()
        assert [e["id"] for e in listed["items"]] == [endpoint["id"]]
        assert "secret" not in listed["items"][0]

        # A delivery is signed with the secret; after a rotation with both, old and new.
        _completed(session)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        first = hook.requests[0]
        Webhook(endpoint["secret"]).verify(first.body, first.headers)
        rotated = client.post(f"{EP}/{endpoint['id']}/rotate-secret", headers=headers)
        assert rotated.status_code == 200, rotated.text
        new_secret = rotated.json()["secret"]
        assert new_secret != endpoint["secret"] and rotated.json()["previous_secret_valid_until"]
        _completed(session)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        second = hook.requests[1]
        Webhook(new_secret).verify(second.body, second.headers)
        Webhook(endpoint["secret"]).verify(second.body, second.headers)

        deliveries = client.get(f"{EP}/{endpoint['id']}/deliveries", headers=headers)
        assert deliveries.status_code == 200
        items = deliveries.json()["items"]
        assert [(d["status"], d["attempts"], d["event_type"]) for d in items] == [
            ("succeeded", 1, "assessment.completed"),
            ("succeeded", 1, "assessment.completed"),
        ]
        assert all(d["next_attempt_at"] is None and d["last_status_code"] == 200 for d in items)

        disabled = client.patch(f"{EP}/{endpoint['id']}", json={"active": False}, headers=headers)
        assert disabled.status_code == 200 and disabled.json()["active"] is False
        assert disabled.json()["disabled_reason"].startswith("disabled by api-key:")
        _completed(session)
        assert delivery.dispatch(session) == 0  # a disabled endpoint gets nothing new

        assert client.delete(f"{EP}/{endpoint['id']}", headers=headers).status_code == 204
        assert client.get(f"{EP}/{endpoint['id']}", headers=headers).status_code == 404
        assert session.exec(select(WebhookDelivery)).all() == []


def test_scopes_and_problems(client: TestClient, make_key: MakeKey) -> None:
    read_write = make_key("read", "write")
    denied = client.get(EP, headers=read_write)
    assert denied.status_code == 403 and denied.json()["required_scope"] == "webhooks"
    headers = make_key("webhooks")
    bad = client.post(
        EP, json={"url": "ftp://ats.example.com/hook", "events": ["assessment.completed"]}, headers=headers
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "url"
    unknown = client.post(EP, json={"url": "https://ats.example.com/h", "events": ["nope"]}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "events.0"
    assert client.get(f"{EP}/999", headers=headers).status_code == 404
    assert client.post(f"{EP}/999/rotate-secret", headers=headers).status_code == 404
    assert client.get(f"{EP}/999/deliveries", headers=headers).status_code == 404


def test_openapi_documents_every_event(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["webhooks"]) == {
        "assessment.started",
        "assessment.completed",
        "assessment.expired",
        "assessment.cancelled",
        "candidate.erased",
        "reference.completed",
        "result.updated",
    }
    completed = spec["webhooks"]["assessment.completed"]["post"]
    assert {p["name"] for p in completed["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
