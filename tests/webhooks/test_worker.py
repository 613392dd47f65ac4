"""`touchstone create-api-key` and `touchstone worker --once` on a real database, end to end."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from standardwebhooks import Webhook
from typer.testing import CliRunner

from app import schema
from app.cli import cli
from app.config import Environment, Settings
from app.db import create_db_engine
from app.main import create_app
from app.webhooks import delivery
from app.webhooks import service as webhooks
from app.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.api.conftest import complete
from tests.databases import Factory
from tests.webhooks.receivers import receiver

runner = CliRunner()


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
            statuses = [d.status for d in third.exec(select(WebhookDelivery)).all()]
    engine.dispose()
    assert statuses == [DeliveryStatus.SUCCEEDED] * 4
    assert len(hook.requests) == 4 and len({r.headers["webhook-id"] for r in hook.requests}) == 4
