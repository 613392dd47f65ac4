"""`touchstone create-api-key` and `touchstone worker --once` on a real database, end to end."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select
from standardwebhooks import Webhook
from typer.testing import CliRunner

from app import schema
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.cli import cli
from app.config import Environment, Settings
from app.db import create_db_engine
from app.main import create_app
from app.webhooks import delivery
from app.webhooks import service as webhooks
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.api.conftest import complete
from tests.databases import Factory
from tests.faults.conftest import fresh_engine, fresh_url
from tests.webhooks.receivers import receiver

runner = CliRunner()
__all__ = ["fresh_engine", "fresh_url"]


def test_key_to_signed_webhook_through_the_cli(
    new_database: Factory, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    url = new_database("sqlite")
    monkeypatch.setenv("TOUCHSTONE_DATABASE_URL", url)
    monkeypatch.setenv("TOUCHSTONE_WEBHOOK_ALLOW_PRIVATE", "true")
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    assert runner.invoke(cli, ["load-questions"]).exit_code == 0
    made = runner.invoke(cli, ["create-api-key", "Our ATS", "--scopes", "read,write"])
    assert made.exit_code == 0, made.output
    key = made.output.strip().splitlines()[-1]
    assert key.startswith("tsk_")
    bad = runner.invoke(cli, ["create-api-key", "x", "--scopes", "admin"])
    assert bad.exit_code == 1 and "admin" in bad.output

    settings = Settings(environment=Environment.TEST, database_url=url, webhook_allow_private=True)
    engine = create_db_engine(url)
    headers = {"Authorization": f"Bearer {key}"}
    with receiver() as hook, TestClient(create_app(settings, engine=engine, run_startup=False)) as client:
        with Session(engine) as session:
            secret = webhooks.create_endpoint(
                session, settings, url=hook.url, events=["assessment.completed"], description=None, actor="t"
            ).secret
            session.commit()
        candidate = client.post("/api/v1/candidates", json={"first_name": "Sam", "last_name": "Vos"}, headers=headers)
        assessment = client.post(
            "/api/v1/assessments",
            json={"candidate_id": candidate.json()["id"], "questionnaire_id": "self-test"},
            headers=headers,
        ).json()
        with Session(engine) as session:
            complete(session, assessment["id"])
            session.commit()
        ran = runner.invoke(cli, ["worker", "--once"])
        assert ran.exit_code == 0, ran.output
        assert len(hook.requests) == 1
        event = Webhook(secret).verify(hook.requests[0].body, hook.requests[0].headers)
        assert event["type"] == "assessment.completed" and event["data"]["assessment_id"] == assessment["id"]
        # A second pass sends nothing again.
        assert runner.invoke(cli, ["worker", "--once"]).exit_code == 0
        assert len(hook.requests) == 1
    engine.dispose()


def test_two_workers_never_take_the_same_delivery_on_postgresql(new_database: Factory) -> None:
    url = new_database("postgresql")
    schema.upgrade(url)
    settings = Settings(environment=Environment.TEST, database_url=url, webhook_allow_private=True)
    engine = create_db_engine(url)
    with receiver() as hook, httpx.Client(timeout=5) as http:
        with Session(engine) as session:
            webhooks.create_endpoint(
                session, settings, url=hook.url, events=["assessment.started"], description=None, actor="t"
            )
            from app.events import service as events

            for n in range(4):
                events.emit(session, "assessment.started", subject_id=str(n), data={"assessment_id": str(n)})
            session.commit()
        with Session(engine) as first, Session(engine) as second:
            assert delivery.dispatch(first) == 4
            assert delivery.dispatch(second) == 0  # the events are locked by the first worker
            first.commit()
        with Session(engine) as first, Session(engine) as second:
            # The first worker holds its rows while it sends; the second skips them instead of sending twice.
            taken = first.exec(select(WebhookDelivery).limit(2).with_for_update(skip_locked=True)).all()
            assert len(taken) == 2
            assert delivery.deliver_due(second, settings, http) == 2
            second.commit()
            first.rollback()
        with Session(engine) as third:
            assert delivery.deliver_due(third, settings, http) == 2
            third.commit()
            statuses = [d.status for d in third.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all()]
    engine.dispose()
    assert statuses == [DeliveryStatus.SUCCEEDED] * 4
    assert len(hook.requests) == 4 and len({r.headers["webhook-id"] for r in hook.requests}) == 4


def _endpoint_with_event(engine: Engine, settings: Settings, url: str) -> None:
    from app.events import service as events

    with Session(engine) as session:
        webhooks.create_endpoint(session, settings, url=url, events=["assessment.started"], description=None, actor="t")
        events.emit(session, "assessment.started", subject_id="a1", data={"assessment_id": "a1"})
        session.commit()
        assert delivery.dispatch(session) == 1
        session.commit()


def _idle_in_transaction(engine: Engine) -> int:
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as connection:
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
        )
        return int(connection.execute(text(query)).scalar_one())


def test_the_worker_holds_no_transaction_while_a_slow_receiver_answers(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    """While the receiver keeps the worker waiting, no connection, lock or transaction is held: a candidate's
    save commits as usual, and the outcome is recorded once the receiver answers."""
    settings = Settings(environment=Environment.TEST, database_url=fresh_url, webhook_allow_private=True)
    with receiver() as hook, httpx.Client(timeout=30) as http:
        hook.hold = threading.Event()
        _endpoint_with_event(fresh_engine, settings, hook.url)
        with Session(fresh_engine, expire_on_commit=False) as session:
            made = assessments.create(
                session, questionnaire_id="self-test", mode=AssessmentMode.API, language="en", actor="t"
            )
            session.commit()

        def work() -> int:
            with Session(fresh_engine) as session:
                return delivery.deliver_due(session, settings, http)

        with ThreadPoolExecutor(max_workers=1) as pool:
            attempted = pool.submit(work)
            assert hook.entered.wait(timeout=60)
            # The worker is waiting for the receiver now.
            assert fresh_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            assert _idle_in_transaction(fresh_engine) == 0
            with Session(fresh_engine) as session:
                saved = assessments.get(session, made.assessment.id)
                assert assessments.save_answers(session, saved, {"self_title": "pr_professional"}) == {}
                session.commit()
            hook.hold.set()
            assert attempted.result(timeout=60) == 1
    with Session(fresh_engine) as session:
        row = session.exec(select(WebhookDelivery)).one()
        assert row.status == DeliveryStatus.SUCCEEDED and row.attempts == 1
        stored = assessments.answers_of(session, assessments.get(session, made.assessment.id))
        assert stored == {"self_title": "pr_professional"}


def test_a_delivery_claimed_by_a_worker_that_died_is_retried(fresh_url: str, fresh_engine: Engine) -> None:
    settings = Settings(environment=Environment.TEST, database_url=fresh_url, webhook_allow_private=True)
    with receiver() as hook, httpx.Client(timeout=5) as http:
        _endpoint_with_event(fresh_engine, settings, hook.url)
        with Session(fresh_engine) as session:
            (claimed,) = delivery.claim_due(session, settings)
            session.commit()  # ... and the worker dies before it sends or records anything
        with Session(fresh_engine) as session:
            assert delivery.deliver_due(session, settings, http) == 0  # claimed: not sent twice at once
            later = claimed.lease + dt.timedelta(seconds=1)
            (again,) = delivery.claim_due(session, settings, now=later)
            session.commit()
            assert again.id == claimed.id
            # The dead worker's claim no longer counts: an outcome it recorded now would be ignored.
            assert not delivery.record(session, settings, claimed, delivery.Outcome(200, None))
            assert delivery.record(session, settings, again, delivery.send(settings, http, again))
            session.commit()
    assert len(hook.requests) == 1
    with Session(fresh_engine) as session:
        row = session.exec(select(WebhookDelivery)).one()
        assert row.status == DeliveryStatus.SUCCEEDED and row.attempts == 1


def test_mail_claimed_by_a_worker_that_died_is_sent_later(fresh_url: str, fresh_engine: Engine) -> None:
    from app.mail import service as mail
    from app.mail.models import MailMessage, MailStatus

    settings = Settings(environment=Environment.TEST, database_url=fresh_url, smtp_host="127.0.0.1")
    with Session(fresh_engine) as session:
        mail.queue(session, to="a@example.org", subject="s", body="b", language="en", kind="t", settings=settings)
        session.commit()
        (claimed,) = mail.claim_pending(session, settings)
        session.commit()  # the worker dies here
        assert mail.claim_pending(session, settings) == []
        (again,) = mail.claim_pending(session, settings, now=claimed.lease + dt.timedelta(seconds=1))
        session.commit()
        assert again.id == claimed.id
        assert not mail.record(session, claimed, None)
        assert mail.record(session, again, None)
        session.commit()
        message = session.exec(select(MailMessage)).one()
        assert message.status == MailStatus.SENT and message.attempts == 1
