"""Contract test over real HTTP: Touchstone on loopback, a fake Greenhouse on loopback, the worker between.

The fake Greenhouse does what Greenhouse does: list_tests, send_test with its callback URL, wait for the
PATCH on that URL after the candidate completes, then test_status.
"""

from __future__ import annotations

import base64
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.apikeys import service as apikeys
from app.candidates.models import Candidate
from app.config import Settings
from app.db import create_db_engine
from app.integrations.greenhouse.models import GreenhouseInterview
from app.mail.models import MailMessage
from app.webhooks.delivery import http_client
from app.webhooks.worker import Worker
from tests.api.conftest import complete
from tests.live import live
from tests.webhooks.receivers import receiver

__all__ = ["live"]


def _greenhouse_key(engine: Engine) -> str:
    with Session(engine) as session:
        _key, key = apikeys.create_key(session, name="Greenhouse", scopes=["greenhouse"], actor="test")
        session.commit()
    return key


def test_fake_greenhouse_drives_a_test_to_completion(live: tuple[str, Settings]) -> None:
    base, settings = live
    engine = create_db_engine(settings.database_url)
    key = _greenhouse_key(engine)
    auth = (key, "")
    gh = f"{base}/integrations/greenhouse"
    with receiver("/v1/partner/tests/complete/abc") as greenhouse, httpx.Client(timeout=10) as http:
        tests = http.get(f"{gh}/list_tests", auth=auth)
        assert tests.status_code == 200 and tests.json()[0]["partner_test_id"] == "self-test"
        sent = http.post(
            f"{gh}/send_test",
            auth=auth,
            json={
                "partner_test_id": tests.json()[0]["partner_test_id"],
                "candidate": {
                    "first_name": "Hermione",
                    "last_name": "Granger",
                    "preferred_name": None,
                    "resume_url": "https://greenhouse.example/resume/1",
                    "phone_number": None,
                    "email": "hgranger@example.com",
                    "greenhouse_profile_url": "https://app.greenhouse.io/people/2",
                },
                "sent_by": "recruiter@example.com",
                "url": greenhouse.url,
            },
        )
        assert sent.status_code == 200, sent.text
        interview_id = sent.json()["partner_interview_id"]
        # Greenhouse sends the same order again (a retry): the same test instance.
        again = http.post(f"{gh}/send_test", auth=auth, json=json.loads(sent.request.content))
        assert again.json() == {"partner_interview_id": interview_id}
        first = http.get(f"{gh}/test_status", params={"partner_interview_id": interview_id}, auth=auth).json()
        assert first["partner_status"] == "invited"

        # The candidate takes the test; then one worker pass makes the callback.
        with Session(engine) as session:
            interview = session.get(GreenhouseInterview, interview_id)
            assert interview is not None and interview.assessment_id
            complete(session, interview.assessment_id)
            session.commit()
        with http_client(settings) as worker_http:
            Worker(engine, settings, worker_http).run(once=True, interval=0)
        assert greenhouse.arrived.wait(10)
        assert [r.method for r in greenhouse.requests] == ["PATCH"]
        expected = "Basic " + base64.b64encode(f"{key}:".encode()).decode("ascii")
        assert greenhouse.requests[0].headers["authorization"] == expected

        status = http.get(f"{gh}/test_status", params={"partner_interview_id": interview_id}, auth=auth)
        body = status.json()
        assert body["partner_status"] == "complete"
        assert body["partner_profile_url"].startswith(base + "/hr/candidates/")
        assert 0 <= body["partner_score"] <= 100
        assert {"Verdict", "Calibration", "Claims index (0-100)"} <= set(body["metadata"])
        bad = http.get(f"{gh}/list_tests", auth=("tsk_nope_nope", ""))
        assert bad.status_code == 401
    engine.dispose()


def test_concurrent_duplicate_orders_make_one_test_instance(live: tuple[str, Settings]) -> None:
    base, settings = live
    engine = create_db_engine(settings.database_url)
    key = _greenhouse_key(engine)
    order = {
        "partner_test_id": "self-test",
        "candidate": {
            "first_name": "Ronald",
            "last_name": "Weasley",
            "preferred_name": "Ron",
            "email": "rweasley@example.com",
            "greenhouse_profile_url": "https://app.greenhouse.io/people/3",
        },
        "url": "http://127.0.0.1:9/v1/partner/tests/complete/ron",
    }
    start = threading.Barrier(6)

    def send(_: int) -> httpx.Response:
        with httpx.Client(timeout=30) as http:
            start.wait()
            return http.post(f"{base}/integrations/greenhouse/send_test", auth=(key, ""), json=order)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(send, range(6)))
    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert len({a.json()["partner_interview_id"] for a in answers}) == 1
    with Session(engine) as session:
        assert len(session.exec(select(Candidate).where(Candidate.email == "rweasley@example.com")).all()) == 1
        assert len(session.exec(select(MailMessage).where(MailMessage.to_address == "rweasley@example.com")).all()) == 1
        assert len(session.exec(select(GreenhouseInterview)).all()) == 1
    engine.dispose()
