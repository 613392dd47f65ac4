"""Numbers on the candidate pages: read and shown in the notation of the page's language, form and autosave alike."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.web.candidate import forms
from tests.web.candidate.conftest import csrf_from, invite, self_test_questionnaire


def _started(client: TestClient, session: Session, lang: str) -> tuple[str, Assessment, str]:
    client.headers["Accept-Language"] = lang
    token = invite(session, language=lang)
    csrf = csrf_from(client.get(f"/t/{token}").text)
    client.post(f"/t/{token}", data={"csrf_token": csrf}, follow_redirects=False)
    return token, assessments.by_token(session, token), csrf


def _shown(html: str, item_id: str) -> str:
    match = re.search(rf'name="q\.{item_id}"\s+value="([^"]*)"', html)
    assert match, f"no input for {item_id}"
    return match.group(1)


@pytest.mark.parametrize(
    ("lang", "typed", "saved", "shown"),
    [
        ("nl", "1.234,56", 1234.56, "1.234,56"),
        ("nl", "1234,56", 1234.56, "1.234,56"),
        ("nl", "1234.56", 1234.56, "1.234,56"),
        ("nl", "1.234", 1234, "1.234"),
        ("nl", "12,5", 12.5, "12,5"),
        ("en", "1,234.56", 1234.56, "1,234.56"),
        ("en", "1.234", 1.234, "1.234"),
        ("en", "12.5", 12.5, "12.5"),
    ],
)
def test_the_form_reads_and_shows_numbers_in_the_page_language(
    client: TestClient, bank: Session, lang: str, typed: str, saved: float, shown: str
) -> None:
    token, assessment, csrf = _started(client, bank, lang)
    data = {"csrf_token": csrf, "q.cost_per_customer": typed, "go": "next"}
    response = client.post(f"/t/{token}/s/roi", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert assessments.answers_of(bank, assessment) == {"cost_per_customer": saved}
    assert _shown(client.get(f"/t/{token}/s/roi").text, "cost_per_customer") == shown


def test_autosave_reads_dutch_notation_and_names_the_range_in_it(client: TestClient, bank: Session) -> None:
    token, assessment, csrf = _started(client, bank, "nl")
    url = f"/t/{token}/s/roi/autosave"
    saved = client.post(url, data={"csrf_token": csrf, "autosave_item": "roi_campaign", "q.roi_campaign": "1.234,5"})
    assert saved.status_code == 200 and saved.text.strip().startswith("Opgeslagen")
    assert assessments.answers_of(bank, assessment) == {"roi_campaign": 1234.5}

    too_big = client.post(url, data={"csrf_token": csrf, "autosave_item": "roi_campaign", "q.roi_campaign": "12.345,6"})
    assert too_big.status_code == 422
    assert "Vul een getal in van -100 tot en met 10.000." in too_big.text
    assert assessments.answers_of(bank, assessment) == {"roi_campaign": 1234.5}  # the valid answer stays


def test_a_refused_number_comes_back_as_typed_with_a_dutch_example(client: TestClient, bank: Session) -> None:
    token, _, csrf = _started(client, bank, "nl")
    page = client.post(f"/t/{token}/s/roi", data={"csrf_token": csrf, "q.cost_per_customer": "veel"})
    assert page.status_code == 422
    assert _shown(page.text, "cost_per_customer") == "veel"
    assert "Vul een getal in, bijvoorbeeld 12,5." in page.text


@pytest.mark.parametrize(("lang", "expected"), [("nl", ("0", "100.000")), ("en", ("0", "100,000"))])
def test_the_review_names_a_range_in_the_page_language(bank: Session, lang: str, expected: tuple[str, str]) -> None:
    questionnaire = self_test_questionnaire(bank)
    missing = {m.item.id: m.message for m in forms.outstanding(questionnaire, {"break_even_clv": 250000}, lang)}
    assert (missing["break_even_clv"].params["low"], missing["break_even_clv"].params["high"]) == expected
