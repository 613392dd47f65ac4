"""The candidate names a referee on a 390 px phone after submitting, in Dutch, in a real Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import create_db_engine
from app.referees import named
from app.referees import service as referees
from app.referees.models import NamedBy, RefereeCreate, RefereeStatus
from tests import factories as factory
from tests.browser.conftest import assert_accessible
from tests.browser.helpers import overflows


@pytest.fixture(scope="module")
def live_db(server_env: dict[str, str], live_server: str) -> Iterator[Engine]:
    engine = create_db_engine(server_env["TOUCHSTONE_DATABASE_URL"])
    yield engine
    engine.dispose()


def _link(engine: Engine) -> tuple[int, str]:
    with Session(engine) as session:
        person, _, token = factory.naming_link(session)
        session.commit()
        assert person.id is not None
        return person.id, token


def test_candidate_names_a_referee_on_a_phone(browser: Any, live_server: str, live_db: Engine) -> None:
    candidate_id, token = _link(live_db)
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        locale="nl",
        extra_http_headers={"Accept-Language": "nl"},
    )
    page = context.new_page()
    page.goto(f"/t/{token}")
    page.get_by_role("button", name="Geef je referenten op").click()
    page.wait_for_url(re.compile(rf"/t/{token}/referees$"))
    assert not overflows(page), "referee form"
    assert_accessible(page, context="candidate referee form")
    page.get_by_label("Naam").fill("Marta Visser")
    page.get_by_label("E-mailadres").fill("marta-at-visser")
    page.get_by_label("Wanneer jullie samenwerkten (bijv. 2021-2024)").fill("2021-2024")
    page.get_by_role("button", name="Deze referent opgeven").click()
    assert "Vul een e-mailadres in, zoals naam@example.org." in page.content()
    assert "Vink het vakje aan" in page.content()
    assert page.get_by_label("Naam").input_value() == "Marta Visser"  # nothing typed is lost
    assert not overflows(page), "errors"
    assert_accessible(page, context="candidate referee form with errors")
    page.get_by_label("E-mailadres").fill("marta@visser.nl")
    page.get_by_label("Hoe jullie samenwerkten").select_option("colleague")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Deze referent opgeven").click()
    page.wait_for_url(re.compile(r"saved=1"))
    content = page.content()
    assert "Marta Visser" in content and "uitgenodigd, nog niet beantwoord" in content
    assert "Je kunt er nog 2 opgeven." in content
    assert not overflows(page), "list"
    assert_accessible(page, context="candidate referee list")
    context.close()
    with Session(live_db) as session:
        [row] = referees.list_for(session, candidate_id)
        assert row.referee.named_by == NamedBy.CANDIDATE and row.status == RefereeStatus.INVITED


def test_candidate_withdraws_a_referee_and_their_consent_on_a_phone(
    browser: Any, live_server: str, live_db: Engine
) -> None:
    with Session(live_db) as session:
        person, link, token = factory.naming_link(session)
        data = RefereeCreate(name="Jan Smit", email="jan@example.com", relation="manager", period="2020-2022")
        named.name(session, link, data, agreed=True, form_key=0)
        session.commit()
        candidate_id = person.id
    assert candidate_id is not None
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        locale="nl",
        extra_http_headers={"Accept-Language": "nl"},
    )
    page = context.new_page()
    page.goto(f"/t/{token}/referees")
    page.get_by_text("Jan Smit intrekken").click()  # the <details> opens without JavaScript's help
    page.get_by_role("button", name="Deze referent intrekken").click()
    assert "Vink het vakje aan om te bevestigen dat je deze referent intrekt." in page.content()
    assert not overflows(page), "withdraw error"
    assert_accessible(page, context="candidate withdraws a referee, with the error")
    page.get_by_label("Ja, trek Jan Smit in als mijn referent.").check()
    page.get_by_role("button", name="Deze referent intrekken").click()
    page.wait_for_url(re.compile(r"withdrawn=referee"))
    assert "ingetrokken: de link werkt niet meer" in page.content()
    page.get_by_text("Je toestemming intrekken").click()
    page.get_by_label("Ja, ik trek mijn toestemming in.").check()
    page.get_by_role("button", name="Mijn toestemming intrekken").click()
    page.wait_for_url(re.compile(r"withdrawn=consent"))
    assert "Je toestemming is ingetrokken" in page.content()
    assert not overflows(page), "after withdrawing"
    assert_accessible(page, context="candidate referee page after withdrawing")
    context.close()
    with Session(live_db) as session:
        [row] = referees.list_for(session, candidate_id)
        assert row.status == RefereeStatus.REVOKED
        assert referees.consent_of(session, candidate_id) is None
