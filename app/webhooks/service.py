"""Webhook endpoints (admins register them) and the deliveries list with retry."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.config import Settings
from app.db import utcnow
from app.db.lookup import get_or_404
from app.errors import Conflict, Invalid
from app.events import service as events
from app.events.models import OutboxEvent
from app.outbound import check_url
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

EVENTS = (
    events.ASSESSMENT_STARTED,
    events.ASSESSMENT_COMPLETED,
    events.ASSESSMENT_EXPIRED,
    events.ASSESSMENT_CANCELLED,
    events.CANDIDATE_ERASED,
    events.REFERENCE_COMPLETED,
    events.RESULT_UPDATED,
)


def new_secret() -> str:
    """Return a Standard Webhooks signing secret (whsec_ + base64 of 24 random bytes)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def create_endpoint(
    session: Session,
    settings: Settings,
    *,
    url: str,
    events: Iterable[str],
    description: str | None,
    actor: str,
) -> WebhookEndpoint:
    """Register an endpoint for the chosen events; its secret is shown to the admin once."""
    url = url.strip()
    if len(url) > 2000:
        raise Invalid("url: use at most 2000 characters", field="url")
    check_url(url, allow_private=settings.webhook_allow_private)
    chosen = sorted(set(events))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown or not chosen:
        raise Invalid(f"events: choose one or more of {', '.join(EVENTS)}", field="events")
    endpoint = WebhookEndpoint(
        url=url,
        events=chosen,
        description=(description or "").strip()[:200] or None,
        secret=new_secret(),
        created_by=actor,
    )
    audit.saved(session, endpoint, actor=actor, action="webhook_endpoint.created", detail={"events": chosen})
    return endpoint


def list_endpoints(session: Session) -> list[WebhookEndpoint]:
    """Return every endpoint, newest first."""
    return list(session.exec(select(WebhookEndpoint).order_by(col(WebhookEndpoint.id).desc())))


def get_endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
    """Return one endpoint or raise NotFound."""
    return get_or_404(session, WebhookEndpoint, endpoint_id, "webhook endpoint")


def set_active(
    session: Session, endpoint: WebhookEndpoint, active: bool, *, actor: str, reason: str | None = None
) -> None:
    """Enable or disable an endpoint; a disabled one gets no new deliveries."""
    endpoint.is_active = active
    endpoint.disabled_reason = None if active else (reason or f"disabled by {actor}")[:200]
    action = "webhook_endpoint.enabled" if active else "webhook_endpoint.disabled"
    audit.saved(session, endpoint, actor=actor, action=action)


def rotate_secret(
    session: Session, endpoint: WebhookEndpoint, *, actor: str, overlap: dt.timedelta = dt.timedelta(hours=24)
) -> str:
    """Give the endpoint a new signing secret and return it (shown once); the old one also signs for ``overlap``."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = utcnow() + overlap
    endpoint.secret = new_secret()
    session.add(endpoint)
    audit.record(session, endpoint, actor=actor, action="webhook_endpoint.secret_rotated")
    session.flush()
    return endpoint.secret


def delete_endpoint(session: Session, endpoint: WebhookEndpoint, *, actor: str) -> None:
    """Remove an endpoint and its deliveries (nothing more is sent to it)."""
    endpoint_id = endpoint.id
    session.delete(endpoint)
    audit.record(
        session, actor=actor, action="webhook_endpoint.deleted", object_type="webhook_endpoint", object_id=endpoint_id
    )
    session.flush()


def list_deliveries(session: Session, *, limit: int = 100, endpoint_id: int | None = None) -> list[WebhookDelivery]:
    """Return the latest deliveries (webhooks and Greenhouse callbacks, or one endpoint's), newest first."""
    query = select(WebhookDelivery).order_by(col(WebhookDelivery.id).desc()).limit(limit)
    if endpoint_id is not None:
        query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
    return list(session.exec(query))


def endpoint_deliveries(
    session: Session, endpoint_id: int, *, limit: int = 50
) -> list[tuple[WebhookDelivery, OutboxEvent]]:
    """Return an endpoint's latest deliveries with the event each carries, newest first."""
    query = (
        select(WebhookDelivery, OutboxEvent)
        .join(OutboxEvent, col(OutboxEvent.id) == col(WebhookDelivery.outbox_event_id))
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit)
    )
    return [(delivery, event) for delivery, event in session.exec(query).all()]


def get_delivery(session: Session, delivery_id: int) -> WebhookDelivery:
    """Return one delivery or raise NotFound."""
    return get_or_404(session, WebhookDelivery, delivery_id, "delivery")


def retry(session: Session, delivery: WebhookDelivery, *, actor: str) -> None:
    """Queue a delivery for one more attempt now (the worker sends it with the same webhook-id)."""
    if delivery.status == DeliveryStatus.SUCCEEDED:
        raise Conflict("this delivery already succeeded")
    if delivery.endpoint_id is not None:
        endpoint = get_endpoint(session, delivery.endpoint_id)
        if not endpoint.is_active:
            raise Conflict("the endpoint is disabled; enable it first")
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = utcnow()
    audit.saved(session, delivery, actor=actor, action="webhook_delivery.retried")
