"""The admin pages for API keys, webhooks, deliveries and Greenhouse error reports."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import UserRole
from app.audit.models import AuditEvent
from app.db import utcnow
from app.integrations.greenhouse.models import GreenhouseResponseError
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.web.hr.helpers import csrf, csrf_from, sign_in_as


def test_admin_creates_uses_and_revokes_a_key(client: TestClient, session: Session, bank: Session) -> None:
    admin = sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/admin/api-keys")
    created = client.post("/hr/admin/api-keys", data={"name": "Our ATS", "scopes": ["read"], "csrf_token": token})
    assert created.status_code == 200
    secret = re.search(r"<code>(tsk_[^<]+)</code>", created.text)
    assert secret
    headers = {"Authorization": f"Bearer {secret.group(1)}"}
    assert client.get("/api/v1/questionnaires", headers=headers).status_code == 200
    listing = client.get("/hr/admin/api-keys")
    assert secret.group(1) not in listing.text and "Our ATS" in listing.text
    key_id = re.search(r"/hr/admin/api-keys/(\d+)/revoke", listing.text)
    assert key_id
    revoked = client.post(
        f"/hr/admin/api-keys/{key_id.group(1)}/revoke",
        data={"csrf_token": csrf_from(listing.text)},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert client.get("/api/v1/questionnaires", headers=headers).status_code == 401
    # The audit log names the admin as every HR page does: by e-mail address.
    actions = ("api_key.created", "api_key.revoked")
    entries = session.exec(select(AuditEvent).where(col(AuditEvent.action).in_(actions))).all()
    assert sorted((e.action, e.actor) for e in entries) == [(a, admin.email) for a in actions]


def test_key_form_errors_are_shown(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/admin/api-keys")
    response = client.post("/hr/admin/api-keys", data={"name": "x", "csrf_token": token})
    assert response.status_code == 422 and "scope" in response.text


def test_forms_need_the_csrf_token(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    response = client.post("/hr/admin/api-keys", data={"name": "x", "scopes": ["read"]})
    assert response.status_code == 403


def test_admin_registers_a_webhook_and_retries_a_delivery(client: TestClient, session: Session, bank: Session) -> None:
    sign_in_as(client, session, UserRole.ADMIN)
    token = csrf(client, "/hr/admin/webhooks")
    created = client.post(
        "/hr/admin/webhooks",
        data={"url": "http://127.0.0.1:9/hook", "events": ["assessment.completed"], "csrf_token": token},
    )
    assert created.status_code == 200
    endpoint = session.exec(select(WebhookEndpoint)).one()
    assert endpoint.secret in created.text  # shown once ...
    assert endpoint.secret not in client.get("/hr/admin/webhooks").text  # ... and never again

    from app.events import service as events

    event = events.emit(session, "assessment.completed", subject_id="a1", data={"assessment_id": "a1"})
    assert event.id is not None
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id, outbox_event_id=event.id, url=endpoint.url, status=DeliveryStatus.FAILED, attempts=8
    )
    session.add(delivery)
    session.add(GreenhouseResponseError(api_call="test_status", errors=["bad score"]))
    session.flush()
    page = client.get("/hr/admin/webhooks")
    assert "bad score" in page.text and "http://127.0.0.1:9/hook" in page.text
    retried = client.post(
        f"/hr/admin/deliveries/{delivery.id}/retry", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert retried.status_code == 303
    session.refresh(delivery)
    assert delivery.status == DeliveryStatus.PENDING


def test_assessors_cannot_open_the_admin_pages(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ASSESSOR)
    assert client.get("/hr/admin/api-keys").status_code == 403
    assert client.get("/hr/admin/webhooks").status_code == 403


def test_admin_rotates_a_webhook_secret_after_confirming(client: TestClient, session: Session) -> None:
    admin = sign_in_as(client, session, UserRole.ADMIN)
    endpoint = WebhookEndpoint(
        url="https://hooks.example.org/t", events=["assessment.completed"], secret="whsec_old", created_by="t"
    )
    session.add(endpoint)
    session.flush()
    page = client.get("/hr/admin/webhooks?lang=nl")
    assert "Ondertekeningsgeheim vervangen" in page.text
    url = f"/hr/admin/webhooks/{endpoint.id}/rotate-secret"
    assert f'action="http://testserver{url}"' in page.text

    # Without the ticked box nothing changes, and the page says what is missing.
    refused = client.post(f"{url}?lang=nl", data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422
    assert "Vink het vakje aan om te bevestigen" in refused.text and "<details open>" in refused.text
    session.refresh(endpoint)
    assert endpoint.secret == "whsec_old" and endpoint.previous_secret is None
    # A form without the token is refused like every other.
    assert client.post(url, data={"confirm": "rotate"}).status_code == 403

    rotated = client.post(f"{url}?lang=nl", data={"csrf_token": csrf_from(page.text), "confirm": "rotate"})
    assert rotated.status_code == 200
    session.refresh(endpoint)
    assert endpoint.secret != "whsec_old" and endpoint.previous_secret == "whsec_old"
    assert endpoint.previous_secret_until is not None
    assert abs((endpoint.previous_secret_until - utcnow()) - dt.timedelta(hours=24)) < dt.timedelta(minutes=5)
    assert f"<code>{endpoint.secret}</code>" in rotated.text  # shown once ...
    assert "draagt elke levering twee handtekeningen" in rotated.text
    later = client.get("/hr/admin/webhooks?lang=nl").text
    assert endpoint.secret not in later and "whsec_old" not in later  # ... and never again
    assert "het oude geheim ondertekent ook nog tot" in later
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "webhook_endpoint.secret_rotated")).one()
    assert (entry.actor, entry.object_id) == (admin.email, str(endpoint.id))
