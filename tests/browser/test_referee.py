"""The referee's journey in a real Chromium on a phone: notice and claims, start, every section, thanks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import ROOT
from app.db import create_db_engine
from app.questionnaires.loader import load_bank
from app.referees import service as referees
from app.referees.models import RefereeCreate, RefereeStatus
from app.scoring import engine as scoring
from tests import factories as factory
from tests.browser.conftest import assert_accessible
from tests.browser.helpers import fill_section, go_on, overflows

ANSWERS: dict[str, Any] = {
    "relation": "manager",
    "years_together": "over_two_years",
    "ref_strategy": 4,
    "ref_roi": "not_observed",
    "ref_corporate_communication": 3,
    "ref_integration": 5,
    "ref_leadership": 4,
    "ref_track_record": 4,
    "claim_years": "confirmed",
    "claim_results": "partly",
    "claim_platform_years": "cannot_judge",
    "departments": ["marketing", "sales"],
    "hire_again": "with_support",
}


@pytest.fixture(scope="module")
def live_db(server_env: dict[str, str], live_server: str) -> Iterator[Engine]:
    engine = create_db_engine(server_env["TOUCHSTONE_DATABASE_URL"])
    yield engine
    engine.dispose()


def _referee_link(engine: Engine) -> tuple[int, str]:
    with Session(engine) as session:
        person = factory.persona(session, "midlevel")
        referees.record_consent(session, person, actor="hr@example.org")
        data = RefereeCreate(
            name="Marta Visser", email="marta@example.org", relation="manager", period="2021-2024", language="nl"
        )
        added = referees.add(session, person, data, actor="hr", expires_at=None)
        session.commit()
        assert person.id is not None
        return person.id, added.token


def test_referee_answers_on_a_phone(browser: Any, live_server: str, live_db: Engine) -> None:
    candidate_id, token = _referee_link(live_db)
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 360, "height": 740},
        locale="nl",
        extra_http_headers={"Accept-Language": "nl"},
    )
    page = context.new_page()
    page.goto(f"/r/{token}")
    assert "2 tot 5 jaar" in page.content()  # the candidate's claim, as they stated it
    assert not overflows(page), "notice"
    assert_accessible(page, context="referee notice")
    page.locator(f'form[action$="/r/{token}"] button[type=submit]').click()
    page.wait_for_url(re.compile(r"/t/.+/s/working_together"))
    bank = {q.id: q for q in load_bank(ROOT / "questions")}
    questionnaire = scoring.compile_bundle(bank["reference-check"].bundle).questionnaire
    for section in questionnaire.sections:
        assert not overflows(page), f"section {section.id}"
        assert_accessible(page, context=f"referee section {section.id}")
        fill_section(page, section, ANSWERS)
        go_on(page)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/t/[^/]+$"))
    assert "De organisatie die om je referentie vroeg" in page.content()
    assert not overflows(page), "thanks"
    context.close()
    with Session(live_db) as session:
        [row] = referees.list_for(session, candidate_id)
        assert row.status == RefereeStatus.COMPLETED
