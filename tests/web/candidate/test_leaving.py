"""Leaving a section page: nothing typed is lost going back, and open questions are named going on."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import Assessment
from tests.web.candidate.conftest import csrf_from, invite


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
