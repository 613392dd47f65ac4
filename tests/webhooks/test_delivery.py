"""Signed webhooks from the outbox: Standard Webhooks signatures, retries, 410, stable id, rollback."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from sqlmodel import Session, select
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.config import Settings
from app.events.models import OutboxEvent
from app.webhooks import delivery
from app.webhooks import service as webhooks
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.api.conftest import example
from tests.webhooks.receivers import receiver


def _completed(session: Session) -> str:
    made = assessments.create(session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="t")
    assessments.save_answers(session, made.assessment, example("self-test--senior"))
    assessments.submit(session, made.assessment, actor="t")
    return made.assessment.id


def _due_now(session: Session) -> None:
    for row in session.exec(select(WebhookDelivery)).all():
        row.next_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.add(row)
    session.flush()


def test_completed_event_arrives_signed(session: Session, settings: Settings, bank: Session) -> None:
    with receiver() as hook, httpx.Client(timeout=5) as http:
        endpoint = webhooks.create_endpoint(
            session, settings, url=hook.url, events=["assessment.completed"], description=None, actor="t"
        )
        assessment_id = _completed(session)
        assert delivery.dispatch(session) == 1
        assert delivery.deliver_due(session, settings, http) == 1
        assert len(hook.requests) == 1
        got = hook.requests[0]
        payload = Webhook(endpoint.secret).verify(got.body, got.headers)
        assert payload["type"] == "assessment.completed"
        assert payload["data"]["assessment_id"] == assessment_id
        assert payload["data"]["result"]["verdict"]
        with pytest.raises(WebhookVerificationError):
            Webhook(webhooks.new_secret()).verify(got.body, got.headers)
    row = session.exec(select(WebhookDelivery)).one()
    assert row.status == DeliveryStatus.SUCCEEDED and row.attempts == 1


def test_retries_on_500_with_backoff_and_the_same_webhook_id(
    session: Session, settings: Settings, bank: Session
) -> None:
    with receiver() as hook, httpx.Client(timeout=5) as http:
        hook.statuses = [500, 503]
        webhooks.create_endpoint(
            session, settings, url=hook.url, events=["assessment.completed"], description=None, actor="t"
        )
        _completed(session)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        row = session.exec(select(WebhookDelivery)).one()
        assert row.status == DeliveryStatus.PENDING and row.last_status_code == 500
        wait = row.next_attempt_at - dt.datetime.now(dt.UTC)
        assert dt.timedelta(seconds=5) < wait <= dt.timedelta(seconds=10)
        assert delivery.deliver_due(session, settings, http) == 0  # not due yet
        _due_now(session)
        delivery.deliver_due(session, settings, http)
        session.refresh(row)
        assert row.next_attempt_at - dt.datetime.now(dt.UTC) > dt.timedelta(seconds=50)  # backoff grows
        _due_now(session)
        delivery.deliver_due(session, settings, http)
    session.refresh(row)
    assert row.status == DeliveryStatus.SUCCEEDED and row.attempts == 3
    ids = {r.headers["webhook-id"] for r in hook.requests}
    assert len(hook.requests) == 3 and len(ids) == 1
    assert ids == {session.get(OutboxEvent, row.outbox_event_id).event_id}  # type: ignore[union-attr]


def test_gives_up_after_max_attempts(session: Session, settings: Settings, bank: Session) -> None:
    settings = settings.model_copy(update={"webhook_max_attempts": 2})
    with receiver() as hook, httpx.Client(timeout=5) as http:
        hook.statuses = [500, 500, 500]
        webhooks.create_endpoint(
            session, settings, url=hook.url, events=["assessment.completed"], description=None, actor="t"
        )
        _completed(session)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        _due_now(session)
        delivery.deliver_due(session, settings, http)
    row = session.exec(select(WebhookDelivery)).one()
    assert row.status == DeliveryStatus.FAILED and row.attempts == 2 and len(row.history) == 2


def test_410_stops_and_disables_the_endpoint(session: Session, settings: Settings, bank: Session) -> None:
    with receiver() as hook, httpx.Client(timeout=5) as http:
        hook.statuses = [410]
        endpoint = webhooks.create_endpoint(
            session,
            settings,
            url=hook.url,
            events=["assessment.completed", "assessment.started"],
            description=None,
            actor="t",
        )
        _completed(session)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        delivery.deliver_due(session, settings, http)
        assert len(hook.requests) == 1
    session.refresh(endpoint)
    assert not endpoint.is_active and "410" in (endpoint.disabled_reason or "")
    assert {r.status for r in session.exec(select(WebhookDelivery)).all()} == {DeliveryStatus.FAILED}
    _completed(session)
    assert delivery.dispatch(session) == 0  # a disabled endpoint gets nothing new


def test_no_outbox_row_when_the_transaction_rolls_back(session: Session, settings: Settings, bank: Session) -> None:
    made = assessments.create(session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="t")
    before = len(session.exec(select(OutboxEvent)).all())
    transaction = session.begin_nested()
    assessments.save_answers(session, made.assessment, example("self-test--senior"))  # emits assessment.started
    assert len(session.exec(select(OutboxEvent)).all()) == before + 1
    transaction.rollback()
    assert len(session.exec(select(OutboxEvent)).all()) == before
    assert delivery.dispatch(session) == 0


def test_admin_retry_requeues_a_failed_delivery(session: Session, settings: Settings, bank: Session) -> None:
    settings = settings.model_copy(update={"webhook_max_attempts": 1})
    with receiver() as hook, httpx.Client(timeout=5) as http:
        hook.statuses = [500]
        webhooks.create_endpoint(
            session, settings, url=hook.url, events=["assessment.completed"], description=None, actor="t"
        )
        _completed(session)
        delivery.dispatch(session)
        delivery.deliver_due(session, settings, http)
        row = session.exec(select(WebhookDelivery)).one()
        assert row.status == DeliveryStatus.FAILED
        webhooks.retry(session, row, actor="admin")
        delivery.deliver_due(session, settings, http)
    assert row.status == DeliveryStatus.SUCCEEDED
    assert json.loads(hook.requests[1].body)["type"] == "assessment.completed"
