"""Candidate pages under attack and misuse: headers, bad links, bad input, floods.

CSRF and hostile text on these pages are tested in tests/security/ (test_csrf.py, test_xss.py).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.assessments import service as assessments
from app.assessments.models import Answer, Assessment
from app.config import Settings
from app.db import utcnow
from app.ratelimit.models import RateLimitHit
from app.web.candidate import guessing
from tests.web.candidate.conftest import csrf_from, invite

RATE_LIMIT = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Use a small rate limit so the flood test stays fast."""
    return settings.model_copy(update={"self_test_starts_per_window": RATE_LIMIT})


def _started(client: TestClient, session: Session) -> tuple[str, Assessment, str]:
    token = invite(session)
    consent = client.get(f"/t/{token}")
    csrf = csrf_from(consent.text)
    client.post(f"/t/{token}", data={"csrf_token": csrf}, follow_redirects=False)
    found = assessments.by_token(session, token)
    return token, found, csrf


def test_token_pages_send_private_headers(client: TestClient, bank: Session) -> None:
    token, _, _ = _started(client, bank)
    for path in (f"/t/{token}/s/about_you", f"/t/{token}/review", "/t/unknown-link", "/self-test"):
        response = client.get(path)
        assert response.headers["Referrer-Policy"] == "no-referrer", path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], path
        assert "style=" not in response.text, path  # the CSP allows no inline styles
        assert "<script>" not in response.text, path


@pytest.mark.parametrize(("lang", "heading"), [("nl", "We kennen deze link niet"), ("en", "We do not know this link")])
def test_unknown_link_shows_a_404_page_in_the_readers_language(
    client: TestClient, bank: Session, lang: str, heading: str
) -> None:
    for path in ("/t/not-a-real-link", "/t/not-a-real-link/s/about_you", "/t/" + "x" * 300):
        response = client.get(path, headers={"Accept-Language": lang})
        assert response.status_code == 404, path
        assert heading in response.text
        assert f'<html lang="{lang}">' in response.text
        assert "Traceback" not in response.text


def test_expired_and_revoked_links_show_410_pages(client: TestClient, bank: Session) -> None:
    expired = invite(bank, expires_at=utcnow() + dt.timedelta(days=1))
    assessment = assessments.by_token(bank, expired)
    assessment.expires_at = utcnow() - dt.timedelta(minutes=1)
    bank.add(assessment)
    bank.flush()
    page = client.get(f"/t/{expired}")
    assert page.status_code == 410
    assert "This link has expired" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/t/{expired}?lang=nl").status_code == 410
    assert "Deze link is verlopen" in client.get(f"/t/{expired}").text  # the choice is remembered

    revoked = invite(bank)
    assessments.cancel(bank, assessments.by_token(bank, revoked), actor="test")
    page = client.get(f"/t/{revoked}/s/about_you?lang=en")
    assert page.status_code == 410
    assert "This link has been withdrawn" in page.text


def test_an_old_link_after_a_resend_says_it_was_replaced_and_is_no_guess(client: TestClient, bank: Session) -> None:
    old = invite(bank, language="nl")
    assessment = assessments.by_token(bank, old)
    assessments.reissue(bank, assessment, actor="test", expires_at=None)
    bank.flush()
    page = client.get(f"/t/{old}?lang=nl")
    assert page.status_code == 410
    assert "Deze link is vervangen door een nieuwere" in page.text
    assert "We kennen deze link niet" not in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/t/{old}/s/about_you?lang=en").status_code == 410
    # The person holds a real, older link: it is not counted towards the limit on guessing links.
    assert bank.exec(select(RateLimitHit).where(RateLimitHit.bucket == guessing.BUCKET)).all() == []


def test_invalid_answers_come_back_beside_their_question_with_422(client: TestClient, bank: Session) -> None:
    token, assessment, csrf = _started(client, bank)
    response = client.post(
        f"/t/{token}/s/roi",
        data={"csrf_token": csrf, "q.roi_campaign": "a lot", "q.cost_per_customer": "300", "q.break_even_clv": "1e9"},
    )
    assert response.status_code == 422
    errors = dict(re.findall(r'<div id="err-([a-z_]+)" class="field-error">([^<]*)</div>', response.text))
    assert errors["roi_campaign"] == "Enter a number, for example 12.5."
    assert errors["break_even_clv"] == "Enter a number from 0 to 100,000."
    assert errors["cost_per_customer"] == ""
    assert re.search(r'id="q.roi_campaign" name="q.roi_campaign"\s+value="a lot" aria-invalid="true"', response.text)
    assert 'aria-describedby="unit-roi_campaign err-roi_campaign"' in response.text
    assert 'role="alert"' in response.text  # the summary is announced
    # What was right is kept: nothing typed is lost to one mistake.
    assert assessments.answers_of(bank, assessment) == {"cost_per_customer": 300}

    sjt = client.post(
        f"/t/{token}/s/scenarios_1",
        data={"csrf_token": csrf, "q.sjt_friday_complaint.best": "a", "q.sjt_friday_complaint.worst": "a"},
    )
    assert sjt.status_code == 422
    assert "The best and the worst approach must be different." in sjt.text
    kpis = client.post(
        f"/t/{token}/s/strategy_and_measurement?lang=nl",
        data={
            "csrf_token": csrf,
            "q.board_kpis": [
                "qualified_leads",
                "cost_per_lead",
                "reach_impressions",
                "revenue_attributed",
                "follower_growth",
                "engagement_rate",
            ],
        },
    )
    assert kpis.status_code == 422
    assert "Kies maximaal 5 mogelijkheden." in kpis.text


def test_an_exclusive_option_beside_another_is_refused_naming_it(client: TestClient, bank: Session) -> None:
    # "Nobody" cannot be ticked together with sales: the page names the option in the reader's language.
    token, assessment, csrf = _started(client, bank)
    page = f"/t/{token}/s/strategy_and_measurement"
    both = {"csrf_token": csrf, "q.involve_before_launch": ["sales", "nobody_inform_after"]}
    nl = client.post(f"{page}?lang=nl", data=both)
    assert nl.status_code == 422
    assert (
        "“Niemand; social is mijn kanaal, ik informeer de rest achteraf” sluit de andere mogelijkheden uit: "
        "kies alleen deze, of vink hem uit." in nl.text
    )
    en = client.post(f"{page}?lang=en", data=both)
    assert "“Nobody; social is my channel, I inform the others afterwards” rules out the other options" in en.text
    assert "involve_before_launch" not in assessments.answers_of(bank, assessment)
    alone = {"csrf_token": csrf, "q.involve_before_launch": ["nobody_inform_after"]}
    assert client.post(page, data=alone, follow_redirects=False).status_code == 303
    assert assessments.answers_of(bank, assessment)["involve_before_launch"] == ["nobody_inform_after"]


def test_dutch_decimal_comma_is_accepted(client: TestClient, bank: Session) -> None:
    token, assessment, csrf = _started(client, bank)
    response = client.post(
        f"/t/{token}/s/roi", data={"csrf_token": csrf, "q.roi_campaign": "12,5 %"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert assessments.answers_of(bank, assessment) == {"roi_campaign": 12.5}


def test_starting_anonymous_self_tests_is_rate_limited_per_address(client: TestClient, bank: Session) -> None:
    csrf = csrf_from(client.get("/self-test").text)
    for _ in range(RATE_LIMIT):
        assert client.post("/self-test", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    refused = client.post("/self-test", data={"csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    assert "Please try again in 60 minutes" in refused.text
    assert len(bank.exec(select(Assessment).where(Assessment.mode == "anonymous")).all()) == RATE_LIMIT
    hits = bank.exec(select(RateLimitHit)).all()
    assert len(hits) == RATE_LIMIT
    assert all("testclient" not in hit.key_hash for hit in hits)  # no address is stored


def test_autosave_saves_one_question_and_answers_with_a_status(client: TestClient, bank: Session) -> None:
    token, assessment, csrf = _started(client, bank)
    url = f"/t/{token}/s/about_you/autosave"
    ok = client.post(
        url,
        data={
            "csrf_token": csrf,
            "autosave_item": "self_title",
            "q.self_title": "social_media_expert",
            "q.years_in_profession": "from_2_to_5",
        },
        headers={"HX-Request": "true"},
    )
    assert ok.status_code == 200
    assert ok.text.strip().startswith("Saved")
    assert assessments.answers_of(bank, assessment) == {"self_title": "social_media_expert"}  # only the named question
    assert bank.get(Assessment, assessment.id).current_section == "about_you"  # type: ignore[union-attr]

    half = client.post(
        f"/t/{token}/s/scenarios_1/autosave",
        data={"csrf_token": csrf, "autosave_item": "sjt_friday_complaint", "q.sjt_friday_complaint.best": "b"},
    )
    assert "Choose the other option too" in half.text
    assert 'id="err-sjt_friday_complaint" class="field-error" hx-swap-oob="true"></div>' in half.text
    assert "sjt_friday_complaint" not in assessments.answers_of(bank, assessment)

    bad = client.post(
        f"/t/{token}/s/roi/autosave", data={"csrf_token": csrf, "autosave_item": "roi_campaign", "q.roi_campaign": "x"}
    )
    assert bad.status_code == 422  # the page still shows the message beside the question (candidate.js)
    assert 'hx-swap-oob="true">Enter a number, for example 12.5.</div>' in bad.text
    unknown = client.post(url, data={"csrf_token": csrf, "autosave_item": "nope"})
    assert unknown.status_code == 422
    assert bank.exec(select(Answer).where(Answer.item_id == "nope")).all() == []


def test_nothing_is_saved_before_the_consent_notice_is_accepted(client: TestClient, bank: Session) -> None:
    token = invite(bank)
    csrf = csrf_from(client.get(f"/t/{token}").text)
    data = {"csrf_token": csrf, "autosave_item": "self_title", "q.self_title": "starter"}
    assert client.post(f"/t/{token}/s/about_you/autosave", data=data).status_code == 409
    page = client.post(f"/t/{token}/s/about_you", data=data, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].endswith(f"/t/{token}")
    assert assessments.answers_of(bank, assessments.by_token(bank, token)) == {}
