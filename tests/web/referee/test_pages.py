"""The referee's journey on their personal link: notice and claims, consent, questions, one submission."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.candidates import service as candidates
from app.referees import service as referees
from app.referees.models import RefereeCreate, RefereeStatus
from tests import factories as factory
from tests.web.candidate.conftest import csrf_from, form_for
from tests.web.hr.helpers import sign_in_as

ANSWERS: dict[str, Any] = {
    "relation": "manager",
    "years_together": "over_two_years",
    "ref_strategy": 5,
    "ref_roi": 4,
    "ref_corporate_communication": "not_observed",
    "ref_integration": 5,
    "ref_leadership": 4,
    "ref_track_record": 5,
    "claim_years": "confirmed",
    "claim_results": "contradicted",
    "claim_platform_years": "cannot_judge",
    "departments": ["marketing", "sales"],
    "hire_again": "with_support",
}


def _referee(bank: Session, language: str = "en") -> tuple[int, str]:
    person = factory.persona(bank, "midlevel")
    referees.record_consent(bank, person, actor="hr@example.org")
    data = RefereeCreate(
        name="Marta Visser", email="marta@example.org", relation="manager", period="2021-2024", language=language
    )
    added = referees.add(bank, person, data, actor="hr", expires_at=None)
    assert person.id is not None
    return person.id, added.token


def test_referee_reads_notice_and_claims_then_answers_once(client: TestClient, bank: Session) -> None:
    candidate_id, token = _referee(bank)
    page = client.get(f"/r/{token}?lang=en")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "Midlevel Persona" in page.text and "2021-2024" in page.text
    assert "2 to 5 years" in page.text  # the candidate's claim, as they stated it
    assert "Your privacy" in page.text
    # Truthful: whoever holds the secret key could find the network by trying them all, so no "untraceable".
    assert "a code made with a secret key from the network you answer from" in page.text
    assert "traced back" not in page.text
    dutch = client.get(f"/r/{token}?lang=nl").text
    assert "een code die met een geheime sleutel is gemaakt van het netwerk" in dutch and "herleid" not in dutch
    client.get(f"/r/{token}?lang=en")  # back to English for the rest of the journey
    started = client.post(f"/r/{token}", data={"csrf_token": csrf_from(page.text)})
    assert started.status_code == 200 and f"/t/{token}/s/working_together" in str(started.url)
    [row] = referees.list_for(bank, candidate_id)
    assert row.referee.consented_at is not None
    questionnaire = assessments.compiled_of(bank, row.assessment).questionnaire  # type: ignore[arg-type]
    csrf = csrf_from(started.text)
    for section in questionnaire.sections:
        fields = form_for(questionnaire, section.id, ANSWERS)
        saved = client.post(f"/t/{token}/s/{section.id}", data=fields | {"csrf_token": csrf})
        assert saved.status_code == 200, saved.text[:400]
    done = client.post(f"/t/{token}/review", data={"csrf_token": csrf})
    assert "The organisation that asked for your reference now has your answers" in done.text
    [row] = referees.list_for(bank, candidate_id)
    assert row.status == RefereeStatus.COMPLETED
    stored = assessments.answers_of(bank, row.assessment)  # type: ignore[arg-type]
    assert stored["ref_corporate_communication"] is None and stored["claim_results"] == "contradicted"
    again = client.post(f"/t/{token}/review", data={"csrf_token": csrf})
    assert again.status_code == 200  # a second submit lands on the same page
    reopened = client.get(f"/r/{token}?lang=en").text
    assert "They can no longer be changed" in reopened and "I agree, start" not in reopened


def test_referee_page_in_dutch(client: TestClient, bank: Session) -> None:
    _, token = _referee(bank, "nl")
    page = client.get(f"/r/{token}?lang=nl").text
    assert "Referentie" in page and "Je privacy" in page and "2 tot 5 jaar" in page


def test_unknown_and_candidate_links_get_the_link_problem_page(client: TestClient, bank: Session) -> None:
    assert client.get("/r/not-a-real-link").status_code == 404
    person = factory.candidate(bank)
    created = assessments.create(
        bank, questionnaire_id="self-test", mode="invitation", language="en", actor="hr", candidate_id=person.id
    )
    assert client.get(f"/r/{created.token}").status_code == 404


def test_revoked_referee_link_is_gone(client: TestClient, bank: Session) -> None:
    candidate_id, token = _referee(bank)
    [row] = referees.list_for(bank, candidate_id)
    referees.revoke(bank, row.referee, actor="hr")
    response = client.get(f"/r/{token}")
    assert response.status_code == 410
    assert re.search(r"withdrawn|ingetrokken", response.text)


def test_a_referee_link_replaced_by_a_resend_says_so(client: TestClient, bank: Session) -> None:
    candidate_id, token = _referee(bank, language="nl")
    [row] = referees.list_for(bank, candidate_id)
    fresh = referees.resend(bank, row.referee, actor="hr", expires_at=None)
    response = client.get(f"/r/{token}?lang=nl")
    assert response.status_code == 410
    assert "Deze link is vervangen door een nieuwere" in response.text and "kennen deze link niet" not in response.text
    assert client.get(f"/r/{fresh}").status_code == 200


def test_completed_statement_reaches_the_report(client: TestClient, bank: Session) -> None:
    candidate_id, _ = _referee(bank)
    [row] = referees.list_for(bank, candidate_id)
    assert row.assessment is not None
    referees.mark_started(bank, row.referee, network="n1")
    assessments.save_answers(
        bank, row.assessment, ANSWERS | {"ref_corporate_communication": None}, section="collaboration"
    )
    assessments.submit(bank, row.assessment, actor="referee")
    sign_in_as(client, bank, UserRole.VIEWER)
    page = client.get(f"/hr/candidates/{candidate_id}/report?lang=en").text
    assert 'id="references"' in page
    assert "confirmed by Marta Visser" in page and "contradicted by Marta Visser" in page
    assert "referees 100.0)" in page  # strategy 5 of 5: the referees' score beside self-test and HR
    statement = client.get(f"/hr/candidates/{candidate_id}/referees?lang=en").text
    assert "Statement of Marta Visser" in statement and "No, that is not right" in statement


def _browser(client: TestClient, address: str) -> TestClient:
    """Another browser, at its own internet address, on the same application and database as client."""
    return TestClient(client.app, base_url="http://testserver", client=(address, 50000))


def _start(browser: TestClient, path: str) -> str:
    page = browser.get(path)
    assert page.status_code == 200, page.text[:300]
    assert browser.post(path, data={"csrf_token": csrf_from(page.text)}).status_code == 200
    return page.text


def test_a_referee_on_the_candidates_network_is_a_signal_for_hr_only(client: TestClient, bank: Session) -> None:
    candidate_id, token = _referee(bank)
    person = candidates.get(bank, candidate_id)
    own = assessments.create(
        bank, questionnaire_id="self-test", mode="invitation", language="en", actor="hr", candidate_id=candidate_id
    )
    notice = _start(_browser(client, "203.0.113.7"), f"/t/{own.token}?lang=en")  # the candidate's own link
    assert "a code made with a secret key from the network you answer from, not your internet address" in notice
    data = RefereeCreate(name="Kees Smit", email="kees@example.org", relation="colleague", period="2022", language="en")
    other = referees.add(bank, person, data, actor="hr", expires_at=None)
    _start(_browser(client, "203.0.113.80"), f"/r/{token}?lang=en")  # the same /24 as the candidate
    _start(_browser(client, "198.51.100.4"), f"/r/{other.token}?lang=en")
    for row in referees.list_for(bank, candidate_id):
        assert row.assessment is not None and row.referee.network_hash
        assessments.save_answers(bank, row.assessment, ANSWERS, section="collaboration")
        assessments.submit(bank, row.assessment, actor="referee")
    sign_in_as(client, bank, UserRole.VIEWER)
    page = client.get(f"/hr/candidates/{candidate_id}/report?lang=en").text
    signal = re.search(r"<strong>Same network as the candidate</strong> \(([^)]*)\)", page)
    assert signal and signal.group(1) == "Marta Visser"  # Kees answered from elsewhere
    dutch = client.get(f"/hr/candidates/{candidate_id}/report?lang=nl").text
    assert "Zelfde netwerk als de kandidaat" in dutch
    # Never shown to the referee or the candidate.
    assert "Same network" not in client.get(f"/r/{token}?lang=en").text
    assert "Same network" not in client.get(f"/t/{own.token}?lang=en").text


def test_a_referee_who_submits_from_the_candidates_network_is_a_signal_too(client: TestClient, bank: Session) -> None:
    candidate_id, token = _referee(bank)
    own = assessments.create(
        bank, questionnaire_id="self-test", mode="invitation", language="en", actor="hr", candidate_id=candidate_id
    )
    _start(_browser(client, "203.0.113.7"), f"/t/{own.token}?lang=en")  # the candidate's own link
    _start(_browser(client, "198.51.100.4"), f"/r/{token}?lang=en")  # the referee starts elsewhere
    [row] = referees.list_for(bank, candidate_id)
    assert row.assessment is not None
    assessments.save_answers(bank, row.assessment, ANSWERS, section="collaboration")
    on_their_network = _browser(client, "203.0.113.80")  # ... and submits from the candidate's /24
    review = on_their_network.get(f"/t/{token}/review")
    assert review.status_code == 200
    sent = on_their_network.post(f"/t/{token}/review", data={"csrf_token": csrf_from(review.text)})
    assert sent.status_code == 200 and row.assessment.status == "completed"
    sign_in_as(client, bank, UserRole.VIEWER)
    page = client.get(f"/hr/candidates/{candidate_id}/report?lang=en").text
    signal = re.search(r"<strong>Same network as the candidate</strong> \(([^)]*)\)", page)
    assert signal and signal.group(1) == "Marta Visser"
