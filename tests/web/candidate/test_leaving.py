"""Leaving a section page: nothing typed is lost going back, and open questions are named going on."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import Assessment
from tests.web.candidate.conftest import csrf_from, example, form_for, invite, self_test_questionnaire


def _started(client: TestClient, session: Session, lang: str = "en") -> tuple[str, Assessment, str]:
    client.headers["Accept-Language"] = lang
    token = invite(session, language=lang)
    csrf = csrf_from(client.get(f"/t/{token}").text)
    client.post(f"/t/{token}", data={"csrf_token": csrf}, follow_redirects=False)
    return token, assessments.by_token(session, token), csrf


def test_going_back_with_an_answer_that_cannot_be_saved_keeps_the_page_and_what_was_typed(
    client: TestClient, bank: Session
) -> None:
    token, assessment, csrf = _started(client, bank, "nl")
    saved = {"csrf_token": csrf, "q.roi_campaign": "3", "go": "next"}
    assert client.post(f"/t/{token}/s/roi", data=saved, follow_redirects=False).status_code == 303

    typed = {"csrf_token": csrf, "q.roi_campaign": "1.234,5,6", "q.cost_per_customer": "300", "go": "back"}
    page = client.post(f"/t/{token}/s/roi", data=typed, follow_redirects=False)

    assert page.status_code == 422  # not a redirect to the previous step
    assert re.search(r'name="q.roi_campaign"\s+value="1.234,5,6" aria-invalid="true"', page.text)
    assert "Vul een getal in, bijvoorbeeld 12,5." in page.text
    assert "Je bent nog op deze pagina, zodat wat je hebt ingevuld niet verloren gaat" in page.text
    # The valid answer is saved, the refused one leaves the earlier answer alone, and the link reopens here.
    assert assessments.answers_of(bank, assessment) == {"roi_campaign": 3, "cost_per_customer": 300}
    assert bank.get(Assessment, assessment.id).current_section == "roi"  # type: ignore[union-attr]


def test_going_back_with_valid_answers_saves_them_and_goes_back(client: TestClient, bank: Session) -> None:
    token, assessment, csrf = _started(client, bank)
    data = {"csrf_token": csrf, "q.roi_campaign": "65", "go": "back"}
    response = client.post(f"/t/{token}/s/roi", data=data, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/t/{token}/s/strategy_and_measurement")
    assert assessments.answers_of(bank, assessment) == {"roi_campaign": 65}


def test_moving_on_from_an_empty_step_is_allowed_and_the_next_page_says_how_many_are_open(
    client: TestClient, bank: Session
) -> None:
    token, assessment, csrf = _started(client, bank, "nl")
    questionnaire = self_test_questionnaire(bank)
    about_you = questionnaire.sections[0]
    required = [item for item in about_you.items if item.required]
    assert len(required) > 1  # the plural is what this step shows

    moved = client.post(f"/t/{token}/s/about_you", data={"csrf_token": csrf, "go": "next"}, follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"].endswith(f"/t/{token}/s/scenarios_1?from=about_you")
    page = client.get(moved.headers["location"])
    notice = re.search(r'<p class="notice" role="status" id="left-open">(.*?)</p>', page.text, re.S)
    assert notice, "no notice about the open questions"
    link = f'<a href="http://testserver/t/{token}/s/about_you">Over jou</a>'
    assert notice.group(1) == (
        f"Je hebt {len(required)} vragen open gelaten bij {link}. Dat mag: je kunt ze later beantwoorden, "
        "voordat je je antwoorden verstuurt."
    )

    # Counted when shown: with all but one answered (in another tab, say), the singular, in English too.
    answers = example("self-test--midlevel")
    assessments.save_answers(bank, assessment, {i.id: answers[i.id] for i in required[1:]}, section="scenarios_1")
    client.headers["Accept-Language"] = "en"
    english = client.get(moved.headers["location"]).text
    assert "You left 1 question open in " in english and "you can answer it later, before you submit." in english
    assessments.save_answers(bank, assessment, {required[0].id: answers[required[0].id]}, section="scenarios_1")
    assert 'id="left-open"' not in client.get(moved.headers["location"]).text


def test_a_complete_step_or_a_step_back_moves_on_without_a_notice(client: TestClient, bank: Session) -> None:
    token, _, csrf = _started(client, bank)
    questionnaire = self_test_questionnaire(bank)
    data = {**form_for(questionnaire, "about_you", example("self-test--midlevel")), "csrf_token": csrf, "go": "next"}
    complete = client.post(f"/t/{token}/s/about_you", data=data, follow_redirects=False)
    assert complete.headers["location"].endswith(f"/t/{token}/s/scenarios_1")
    back = client.post(f"/t/{token}/s/roi", data={"csrf_token": csrf, "go": "back"}, follow_redirects=False)
    assert back.headers["location"].endswith(f"/t/{token}/s/strategy_and_measurement")
    # A made-up or edited "from" is harmless: an unknown step is ignored.
    assert 'id="left-open"' not in client.get(f"/t/{token}/s/roi?from=nope").text


def test_a_refused_form_token_keeps_what_was_typed_and_says_so_in_dutch(client: TestClient, bank: Session) -> None:
    """A page whose form token no longer matches (the cookie was lost) shows the answers again, unsaved."""
    token, assessment, _csrf = _started(client, bank, "nl")
    client.cookies.clear()  # the browser lost its cookies (closed, cleared) while the page stayed open
    typed = {"csrf_token": "stale", "q.roi_campaign": "65", "q.cost_per_customer": "300", "go": "next"}
    page = client.post(f"/t/{token}/s/roi", data=typed, follow_redirects=False)

    assert page.status_code == 403  # refused: nothing is saved from a form whose token failed
    assert assessments.answers_of(bank, assessment) == {}
    assert re.search(r'name="q.roi_campaign"\s+value="65"', page.text)
    assert re.search(r'name="q.cost_per_customer"\s+value="300"', page.text)
    assert "nog niet opgeslagen" in page.text and "The form expired" not in page.text
    # The page carries a fresh token and its cookie: sending it again saves.
    again = {**typed, "csrf_token": csrf_from(page.text)}
    assert client.post(f"/t/{token}/s/roi", data=again, follow_redirects=False).status_code == 303
    assert assessments.answers_of(bank, assessment) == {"roi_campaign": 65, "cost_per_customer": 300}


def test_a_refused_form_token_elsewhere_is_explained_in_dutch(client: TestClient, bank: Session) -> None:
    token, _assessment, _csrf = _started(client, bank, "nl")
    client.cookies.clear()
    page = client.post(f"/t/{token}/review", data={"csrf_token": "stale"}, follow_redirects=False)
    assert page.status_code == 403
    assert "The form expired" not in page.text and "Het formulier is verlopen" in page.text
