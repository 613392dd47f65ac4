"""Fan outbox events out into deliveries and send the due ones: signed webhooks and Greenhouse PATCH callbacks.

Several workers may run at once: on PostgreSQL the rows a worker takes are locked with SKIP LOCKED for
its transaction, so no event is sent twice at the same time; a unique key per (target, event) keeps
the fan-out single. Every attempt of one event carries the same webhook-id, the outbox event id.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import httpx
from sqlalchemy import exists
from sqlmodel import Session, col, select
from standardwebhooks import Webhook

from app.api import idempotency
from app.config import Settings
from app.db import utcnow
from app.errors import Invalid
from app.events import service as events
from app.events.models import OutboxEvent
from app.integrations.greenhouse import service as greenhouse
from app.webhooks.models import DeliveryKind, DeliveryStatus, OutboxDispatch, WebhookDelivery, WebhookEndpoint
from app.webhooks.urls import PublicOnlyTransport, check_url

logger = logging.getLogger("touchstone.webhooks")

# Seconds before attempt 2, 3, ...; the last value repeats until max attempts.
BACKOFF = (10, 60, 300, 1800, 7200, 21600, 43200)
BATCH = 100
HISTORY = 20


def dispatch(session: Session, *, limit: int = 200) -> int:
    """Create one delivery per matching active endpoint (and Greenhouse callback) for new outbox events."""
    done = exists().where(col(OutboxDispatch.outbox_event_id) == col(OutboxEvent.id))
    pending = session.exec(
        select(OutboxEvent).where(~done).order_by(col(OutboxEvent.id)).limit(limit).with_for_update(skip_locked=True)
    ).all()
    if not pending:
        return 0
    endpoints = session.exec(select(WebhookEndpoint).where(col(WebhookEndpoint.is_active).is_(True))).all()
    created = 0
    for event in pending:
        assert event.id is not None
        for endpoint in endpoints:
            if event.event_type in endpoint.events:
                session.add(
                    WebhookDelivery(
                        kind=DeliveryKind.WEBHOOK, endpoint_id=endpoint.id, outbox_event_id=event.id, url=endpoint.url
                    )
                )
                created += 1
        if event.event_type == events.ASSESSMENT_COMPLETED and event.subject_id:
            interview = greenhouse.interview_for_assessment(session, event.subject_id)
            if interview is not None:
                session.add(
                    WebhookDelivery(
                        kind=DeliveryKind.GREENHOUSE,
                        greenhouse_interview_id=interview.id,
                        outbox_event_id=event.id,
                        url=interview.callback_url,
                    )
                )
                created += 1
        if event.event_type == events.CANDIDATE_ERASED:
            _forget(session, event)
        session.add(OutboxDispatch(outbox_event_id=event.id))
    session.flush()
    return created


def _forget(session: Session, event: OutboxEvent) -> None:
    # Replays of API responses about an erased candidate would hand their personal data out again.
    candidate_id = (event.payload.get("data") or {}).get("candidate_id")
    if isinstance(candidate_id, int):
        idempotency.forget_candidate(session, candidate_id)


def body_of(event: OutboxEvent) -> str:
    """Return the JSON body of an event's webhook: type, timestamp and data (ids and headline numbers)."""
    payload = {
        "type": event.event_type,
        "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": event.payload.get("data", {}),
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(secret: str, event: OutboxEvent, body: str, now: dt.datetime) -> dict[str, str]:
    """Return the Standard Webhooks headers for one attempt (new timestamp, same id)."""
    return {
        "webhook-id": event.event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(event.event_id, now, body),
        "content-type": "application/json",
        "user-agent": "Touchstone-Webhooks/1",
    }


def _send(session: Session, settings: Settings, http: httpx.Client, delivery: WebhookDelivery) -> int:
    event = session.get(OutboxEvent, delivery.outbox_event_id)
    assert event is not None  # a foreign key guarantees it
    check_url(delivery.url, allow_private=settings.webhook_allow_private)
    if delivery.kind == DeliveryKind.GREENHOUSE:
        # Greenhouse's completion callback has no body: it answers with a status and then calls test_status.
        return http.patch(delivery.url, headers={"user-agent": "Touchstone-Greenhouse/1"}).status_code
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.is_active:
        raise _Disabled()
    body = body_of(event)
    headers = signed_headers(endpoint.secret, event, body, utcnow())
    return http.post(delivery.url, content=body.encode("utf-8"), headers=headers).status_code


class _Disabled(Exception):
    pass


def _record(delivery: WebhookDelivery, now: dt.datetime, status: int | None, error: str | None) -> None:
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_error = error[:500] if error else None
    entry: dict[str, object] = {"at": now.isoformat(), "status": status, "error": delivery.last_error}
    delivery.history = [*delivery.history, entry][-HISTORY:]


def attempt(session: Session, settings: Settings, http: httpx.Client, delivery: WebhookDelivery) -> None:
    """Send one delivery once and record the outcome: done on 2xx, stop on 410, otherwise retry later."""
    now = utcnow()
    try:
        status: int | None = _send(session, settings, http, delivery)
        error = None if status is not None and 200 <= status < 300 else f"HTTP {status}"
    except _Disabled:
        _record(delivery, now, None, "endpoint disabled")
        delivery.status = DeliveryStatus.FAILED
        session.add(delivery)
        return
    except Invalid as problem:
        status, error = None, problem.detail
    except httpx.HTTPError as problem:
        status, error = None, f"{type(problem).__name__}: {problem}"
    _record(delivery, now, status, error)
    if error is None:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
    elif status == 410:
        # The receiver says the endpoint is gone for good: stop, and send it nothing more.
        delivery.status = DeliveryStatus.FAILED
        if delivery.endpoint_id is not None:
            endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
            if endpoint is not None:
                endpoint.is_active = False
                endpoint.disabled_reason = "the endpoint answered 410 Gone"
                session.add(endpoint)
    elif delivery.attempts >= settings.webhook_max_attempts:
        delivery.status = DeliveryStatus.FAILED
    else:
        wait = BACKOFF[min(delivery.attempts - 1, len(BACKOFF) - 1)]
        delivery.next_attempt_at = now + dt.timedelta(seconds=wait)
    if error:
        logger.warning("delivery %s to %s failed (attempt %s): %s", delivery.id, delivery.url, delivery.attempts, error)
    session.add(delivery)


def deliver_due(session: Session, settings: Settings, http: httpx.Client, *, limit: int = BATCH) -> int:
    """Attempt every pending delivery whose time has come; return how many were attempted."""
    due = session.exec(
        select(WebhookDelivery)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING, col(WebhookDelivery.next_attempt_at) <= utcnow())
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for delivery in due:
        attempt(session, settings, http, delivery)
    session.flush()
    return len(due)


def http_client(settings: Settings) -> httpx.Client:
    """Return the HTTP client deliveries use: timeouts, redirects never followed, public addresses only.

    Unless private targets are allowed, connections are checked again as they are opened, so a name that
    re-resolves to a private address after check_url (DNS rebinding) is refused (no environment proxies).
    """
    transport = None if settings.webhook_allow_private else PublicOnlyTransport()
    return httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False, transport=transport)
