"""Fan outbox events out into deliveries and send the due ones: signed webhooks and Greenhouse PATCH callbacks.

No transaction is open while a request is on its way: a worker claims a few due deliveries in one short
transaction (a lease: their next attempt moves past the time it needs to send them), sends them with no
transaction open, and records each outcome in a short transaction of its own. A worker that dies
leaves its claims to run out, and they are retried. Several workers may run at once: on PostgreSQL the
claim skips rows another worker is claiming (SKIP LOCKED), so no event is sent twice at the same time;
a unique key per (target, event) keeps the fan-out single. Every attempt of one event carries the same
webhook-id, the outbox event id.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

import httpx
from sqlalchemy import exists
from sqlmodel import Session, col, select
from standardwebhooks import Webhook

from app.apikeys import idempotency
from app.assessments.changes import COMPLETED
from app.config import Settings
from app.db import claims, utcnow
from app.errors import Invalid
from app.events import service as events
from app.events.models import OutboxEvent
from app.integrations import credentials
from app.integrations.greenhouse import service as greenhouse
from app.integrations.greenhouse.models import GreenhouseInterview
from app.outbound import PublicOnlyTransport, check_url
from app.webhooks.models import DeliveryKind, DeliveryStatus, OutboxDispatch, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger("touchstone.webhooks")

# Seconds before attempt 2, 3, ...; the last value repeats until max attempts.
BACKOFF = (10, 60, 300, 1800, 7200, 21600, 43200)
BATCH = 100
# Deliveries claimed at a time: their lease covers sending them all, one after another, at the full timeout.
CLAIM = 10
LEASE_MARGIN_SECONDS = 60
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
        for interview in _greenhouse_targets(session, event):
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


def _greenhouse_targets(session: Session, event: OutboxEvent) -> list[GreenhouseInterview]:
    """The Greenhouse tests to PATCH for an event: the test completed, or every completed test of a candidate
    whose combined result changed (Greenhouse then calls test_status again)."""
    if event.event_type == events.ASSESSMENT_COMPLETED and event.subject_id:
        interview = greenhouse.interview_for_assessment(session, event.subject_id)
        return [interview] if interview is not None else []
    data = event.payload.get("data") or {}
    if event.event_type == events.RESULT_UPDATED and isinstance(data.get("candidate_id"), int):
        # A submitted test already has its PATCH from its own assessment.completed.
        completed = data.get("assessment_id") if data.get("reason") == COMPLETED else None
        return greenhouse.interviews_to_update(session, data["candidate_id"], completed)
    return []


def _forget(session: Session, event: OutboxEvent) -> None:
    # Replays of API responses about an erased candidate would hand their personal data out again.
    candidate_id = (event.payload.get("data") or {}).get("candidate_id")
    if isinstance(candidate_id, int):
        idempotency.forget_candidate(session, candidate_id)
        # Nothing about an erased candidate is reported to Greenhouse any more: its key is not needed.
        for interview in session.exec(
            select(GreenhouseInterview).where(GreenhouseInterview.candidate_id == candidate_id)
        ).all():
            interview.callback_credential = None
            session.add(interview)


def body_of(event: OutboxEvent) -> str:
    """Return the JSON body of an event's webhook: type, timestamp and data (ids and headline numbers)."""
    payload = {
        "type": event.event_type,
        "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": event.payload.get("data", {}),
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(
    secret: str, event_id: str, body: str, now: dt.datetime, previous: str | None = None
) -> dict[str, str]:
    """Return the Standard Webhooks headers for one attempt (new timestamp, same id).

    Just after a rotation the previous secret signs too: the header then holds both signatures,
    space-separated, and a receiver verifying with either secret accepts the delivery.
    """
    signatures = [Webhook(key).sign(event_id, now, body) for key in (secret, previous) if key]
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/json",
        "user-agent": "Touchstone-Webhooks/1",
    }


@dataclass(frozen=True)
class Claimed:
    """A delivery taken by this worker until ``lease``, with all it needs to be sent (no session required)."""

    id: int
    kind: DeliveryKind
    url: str
    lease: dt.datetime
    endpoint_id: int | None
    event_id: str
    body: str
    secret: str | None
    """The endpoint's signing secret; None for a Greenhouse callback (no body, no signature)."""
    previous_secret: str | None = None
    """The endpoint's previous signing secret while a rotation's overlap lasts."""
    authorization: str | None = None
    """A Greenhouse callback's Basic Authorization header (the ordering key); never logged or stored in clear."""


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str | None
    disabled: bool = False


QUEUE = claims.Queue(WebhookDelivery, "status", DeliveryStatus.PENDING)
# What signs or authorises one delivery: the endpoint's secret and previous secret, or Greenhouse's header.
Signing = tuple[str | None, str | None, str | None]


def claim_due(
    session: Session, settings: Settings, *, limit: int = CLAIM, now: dt.datetime | None = None
) -> list[Claimed]:
    """Take up to ``limit`` due deliveries until a lease ends that outlasts sending them all; flushed.

    The lease is written in the claiming transaction, so it survives a crash: a delivery claimed by a
    worker that died is due again when its lease ends, and another worker retries it.
    """
    now = now or utcnow()
    signing: dict[int | None, Signing] = {}

    def keep(delivery: WebhookDelivery) -> bool:
        found = _signing(session, settings, delivery, now)
        signing[delivery.id] = found or (None, None, None)
        return found is not None

    taken = claims.claim(
        session,
        QUEUE,
        limit=limit,
        now=now,
        keep=keep,
        lease_seconds=lambda count: count * settings.webhook_timeout_seconds + LEASE_MARGIN_SECONDS,
    )
    return [_claimed(session, delivery, taken.lease, signing[delivery.id]) for delivery in taken.rows]


def _signing(session: Session, settings: Settings, delivery: WebhookDelivery, now: dt.datetime) -> Signing | None:
    """Return what signs the delivery, or None after settling one that cannot be sent (key unreadable, endpoint off)."""
    secret = previous = authorization = None
    sealed = _sealed_credential(session, delivery) if delivery.kind == DeliveryKind.GREENHOUSE else None
    if sealed is not None:
        key = credentials.unseal(settings, sealed)
        if key is None:
            _apply(session, settings, delivery, now, Outcome(None, UNREADABLE_CREDENTIAL))
            return None
        authorization = credentials.basic_authorization(key)
    if delivery.kind == DeliveryKind.WEBHOOK:
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        if endpoint is None or not endpoint.is_active:
            _apply(session, settings, delivery, now, Outcome(None, "endpoint disabled", disabled=True))
            return None
        secret = endpoint.secret
        if endpoint.previous_secret_until is not None and endpoint.previous_secret_until > now:
            previous = endpoint.previous_secret
    return secret, previous, authorization


def _claimed(session: Session, delivery: WebhookDelivery, lease: dt.datetime, signing: Signing) -> Claimed:
    assert delivery.id is not None
    event = session.get(OutboxEvent, delivery.outbox_event_id)
    assert event is not None  # a foreign key guarantees it
    return Claimed(
        delivery.id,
        delivery.kind,
        delivery.url,
        lease,
        delivery.endpoint_id,
        event.event_id,
        body_of(event),
        *signing,
    )


UNREADABLE_CREDENTIAL = (
    "the Greenhouse key kept for this callback cannot be opened with TOUCHSTONE_SECRET_KEY or "
    "TOUCHSTONE_PREVIOUS_SECRET_KEYS; add the secret key it was sealed with to the previous keys"
)


def _sealed_credential(session: Session, delivery: WebhookDelivery) -> str | None:
    # None for an order kept from before keys were sealed: its PATCH goes out without Authorization.
    interview = session.get(GreenhouseInterview, delivery.greenhouse_interview_id)
    return None if interview is None else interview.callback_credential


def send(settings: Settings, http: httpx.Client, claimed: Claimed) -> Outcome:
    """Send one claimed delivery once and say how it went; no database is involved."""
    try:
        check_url(claimed.url, allow_private=settings.webhook_allow_private)
        if claimed.secret is None:
            # Greenhouse's completion callback has no body: it answers with a status and then calls test_status.
            headers = {"user-agent": "Touchstone-Greenhouse/1"}
            if claimed.authorization:
                headers["authorization"] = claimed.authorization
            status = http.patch(claimed.url, headers=headers).status_code
        else:
            headers = signed_headers(claimed.secret, claimed.event_id, claimed.body, utcnow(), claimed.previous_secret)
            status = http.post(claimed.url, content=claimed.body.encode("utf-8"), headers=headers).status_code
    except Invalid as problem:
        return Outcome(None, problem.detail)
    except httpx.HTTPError as problem:
        return Outcome(None, f"{type(problem).__name__}: {problem}")
    return Outcome(status, None if 200 <= status < 300 else f"HTTP {status}")


def record(session: Session, settings: Settings, claimed: Claimed, outcome: Outcome) -> bool:
    """Store the outcome of one attempt; False (nothing stored) when the claim was lost to another worker."""
    delivery = claims.reclaim(session, QUEUE, claimed.id, claimed.lease)
    if delivery is None:
        return False  # the lease ran out and another worker took it over: its outcome counts
    _apply(session, settings, delivery, utcnow(), outcome)
    session.flush()
    return True


def _history(delivery: WebhookDelivery, now: dt.datetime, status: int | None, error: str | None) -> None:
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_error = error[:500] if error else None
    entry: dict[str, object] = {"at": now.isoformat(), "status": status, "error": delivery.last_error}
    delivery.history = [*delivery.history, entry][-HISTORY:]


def _apply(session: Session, settings: Settings, delivery: WebhookDelivery, now: dt.datetime, outcome: Outcome) -> None:
    """Done on 2xx, stop on 410 or a disabled endpoint, otherwise retry later with backoff."""
    _history(delivery, now, outcome.status, outcome.error)
    if outcome.disabled:
        delivery.status = DeliveryStatus.FAILED
    elif outcome.error is None:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = now
    elif outcome.status == 410:
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
    if outcome.error:
        logger.warning(
            "delivery %s to %s failed (attempt %s): %s", delivery.id, delivery.url, delivery.attempts, outcome.error
        )
    session.add(delivery)


def deliver_due(session: Session, settings: Settings, http: httpx.Client, *, limit: int = BATCH) -> int:
    """Attempt up to ``limit`` due deliveries and return how many were attempted.

    This owns its transactions (a worker step, app.db.claims.drain): each claim commits at once, every
    request goes out with no transaction open, and each outcome is recorded in a short transaction of its own.
    """
    gone: set[int | None] = set()  # endpoints that answered 410 during this pass get nothing more

    def attempt(claimed: Claimed) -> bool:
        if claimed.secret is not None and claimed.endpoint_id in gone:
            outcome = Outcome(None, "endpoint disabled", disabled=True)
        else:
            outcome = send(settings, http, claimed)
        if outcome.status == 410:
            gone.add(claimed.endpoint_id)
        record(session, settings, claimed, outcome)
        return True

    return claims.drain(
        session, lambda room: claim_due(session, settings, limit=min(CLAIM, room)), attempt, limit=limit
    )


def http_client(settings: Settings) -> httpx.Client:
    """Return the HTTP client deliveries use: timeouts, redirects never followed, public addresses only.

    Unless private targets are allowed, connections are checked again as they are opened, so a name that
    re-resolves to a private address after check_url (DNS rebinding) is refused (no environment proxies).
    """
    transport = None if settings.webhook_allow_private else PublicOnlyTransport()
    return httpx.Client(timeout=settings.webhook_timeout_seconds, follow_redirects=False, transport=transport)
