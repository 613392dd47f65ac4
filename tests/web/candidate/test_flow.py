"""The candidate flow over plain HTTP, as a browser without JavaScript does it: start, answer, resume, submit."""

from __future__ import annotations

import hashlib
import re

from fastapi.testclient import TestClient
from markupsafe import escape
from sqlmodel import Session, col, select

from app.assessments.models import Answer, Assessment, AssessmentStatus, Result
from app.audit.models import AuditEvent
from app.candidates.models import Candidate
from tests.web.candidate.conftest import csrf_from, example, form_for, invite, self_test_questionnaire


def _start(client: TestClient, lang: str = "en") -> str:
    page = client.get("/self-test", headers={"Accept-Language": lang})
    response = client.post(
        "/self-test",
        data={"csrf_token": csrf_from(page.text)},
        headers={"Accept-Language": lang},
        follow_redirects=False,
    )
    assert response.status_code == 303
    match = re.fullmatch(r"http://testserver/t/([A-Za-z0-9_-]+)", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


def _assessment(session: Session, token: str) -> Assessment:
    digest = hashlib.sha256(token.encode()).hexdigest()
    return session.exec(select(Assessment).where(Assessment.token_hash == digest)).one()


def test_self_test_starts_anonymously_after_the_privacy_notice(client: TestClient, bank: Session) -> None:
    page = client.get("/self-test", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "Je privacy" in page.text and "We vragen niet om je naam" in page.text
    # Truthful: a keyed code of the address, which whoever holds the key could match by trial.
    assert "als code die er met een geheime sleutel van is gemaakt (niet het adres zelf)" in page.text
    assert "niet naar jou terug te leiden" not in page.text
    assert 'type="email"' not in page.text and 'name="name"' not in page.text  # no personal data asked

    client.headers["Accept-Language"] = "nl"
    token = _start(client, "nl")
    assert len(token) >= 43  # 32 random bytes = 256 bits, URL-safe base64
    assessment = _assessment(bank, token)
    assert assessment.mode == "anonymous" and assessment.language == "nl"
    assert assessment.candidate_id is None
    assert assessment.token_hash == hashlib.sha256(token.encode()).hexdigest()  # only the hash is stored
    consent = bank.exec(select(AuditEvent).where(AuditEvent.action == "assessment.consent_given")).all()
    assert [e.object_id for e in consent] == [assessment.id]

    opened = client.get(f"/t/{token}", follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"].endswith(f"/t/{token}/s/about_you")
    first = client.get(opened.headers["location"])
    assert "Stap 1 van 9" in first.text
    assert "persoonlijke link" in first.text  # told to bookmark it
    dutch_question = self_test_questionnaire(bank).sections[0].items[0].text.nl
    assert str(escape(dutch_question)) in first.text  # the questions, too, speak the page's language


def test_completing_without_javascript_saves_every_page_and_scores_once(client: TestClient, bank: Session) -> None:
    token = _start(client)
    questionnaire = self_test_questionnaire(bank)
    answers = example("self-test--midlevel")
    csrf = csrf_from(client.get(f"/t/{token}/s/about_you").text)
    for index, section in enumerate(questionnaire.sections):
        data = {**form_for(questionnaire, section.id, answers), "csrf_token": csrf, "go": "next"}
        response = client.post(f"/t/{token}/s/{section.id}", data=data, follow_redirects=False)
        assert response.status_code == 303, response.text
        following = questionnaire.sections[index + 1].id if index + 1 < len(questionnaire.sections) else None
        expected = f"/t/{token}/s/{following}" if following else f"/t/{token}/review"
        assert response.headers["location"].endswith(expected)

    assessment = _assessment(bank, token)
    saved = {row.item_id: row.value for row in bank.exec(select(Answer).where(Answer.assessment_id == assessment.id))}
    assert saved == answers

    # Closing the tab on the review page and opening the link again returns to the review page.
    reopened = client.get(f"/t/{token}", follow_redirects=False)
    assert reopened.status_code == 303 and reopened.headers["location"].endswith(f"/t/{token}/review")
    review = client.get(f"/t/{token}/review")
    assert review.status_code == 200
    assert "Everything is answered" in review.text

    first = client.post(f"/t/{token}/review", data={"csrf_token": csrf}, follow_redirects=False)
    again = client.post(f"/t/{token}/review", data={"csrf_token": csrf}, follow_redirects=False)  # double click/replay
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    results = bank.exec(select(Result).where(Result.assessment_id == assessment.id)).all()
    assert len(results) == 1
    assert results[0].verdict == "ready_with_mentor"

    feedback = client.get(f"/t/{token}")
    assert feedback.status_code == 200
    assert "You are capable, and a few specific points" in feedback.text  # the candidate-facing verdict
    assert "Ready with a mentor" not in feedback.text  # not the HR label
    assert "<svg" in feedback.text and 'role="img"' in feedback.text
    assert "ROI &amp; measurement" in feedback.text  # a gap with its focus points
    assert "experienced marketing professional" in feedback.text
    dutch = client.get(f"/t/{token}?lang=nl")
    assert "Strategie en bedrijfsdoelen" in dutch.text and "Waar je staat" in dutch.text

    # Once submitted, saving is over: the pages lead to the feedback instead.
    late = client.post(
        f"/t/{token}/s/about_you", data={"csrf_token": csrf, "q.self_title": "starter"}, follow_redirects=False
    )
    assert late.status_code == 303 and late.headers["location"].endswith(f"/t/{token}")
    assert bank.get(Assessment, assessment.id).status == AssessmentStatus.COMPLETED  # type: ignore[union-attr]


def test_closing_and_reopening_the_link_resumes_where_the_candidate_was(client: TestClient, bank: Session) -> None:
    token = _start(client)
    questionnaire = self_test_questionnaire(bank)
    answers = example("self-test--midlevel")
    csrf = csrf_from(client.get(f"/t/{token}/s/about_you").text)
    for section in questionnaire.sections[:3]:
        data = {**form_for(questionnaire, section.id, answers), "csrf_token": csrf}
        client.post(f"/t/{token}/s/{section.id}", data=data, follow_redirects=False)

    client.cookies.clear()  # a new browser session: only the link is left
    reopened = client.get(f"/t/{token}", follow_redirects=False)
    assert reopened.headers["location"].endswith(f"/t/{token}/s/{questionnaire.sections[3].id}")
    earlier = client.get(f"/t/{token}/s/scenarios_1")
    assert re.search(r'name="q.sjt_friday_complaint.best" value="b"\s+checked', earlier.text)
    assert 'value="communication_professional" checked' in client.get(f"/t/{token}/s/about_you").text

    back = client.post(
        f"/t/{token}/s/scenarios_2",
        data={"csrf_token": csrf_from(earlier.text), "go": "back"},
        follow_redirects=False,
    )
    assert back.headers["location"].endswith(f"/t/{token}/s/scenarios_1")


def test_review_lists_unanswered_questions_with_links_and_refuses_to_submit(client: TestClient, bank: Session) -> None:
    token = _start(client)
    page = client.get(f"/t/{token}/review")
    assert page.status_code == 200
    assert f'href="http://testserver/t/{token}/s/about_you#item-self_title"' in page.text
    refused = client.post(f"/t/{token}/review", data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422
    assert "questions still need an answer" in refused.text
    assert bank.exec(select(Result)).all() == []


def test_invitation_asks_consent_first_and_tells_what_hr_sees(client: TestClient, bank: Session) -> None:
    token = invite(bank)
    before = client.get(f"/t/{token}/s/about_you", follow_redirects=False)
    assert before.status_code == 303 and before.headers["location"].endswith(f"/t/{token}")
    consent = client.get(f"/t/{token}")
    assert consent.status_code == 200
    assert "four weeks after the application procedure" in consent.text
    assert "at most one year" in consent.text
    assert "a code made with a secret key from the network you answer from" in consent.text
    assert "deleted with your data" in consent.text
    started = client.post(f"/t/{token}", data={"csrf_token": csrf_from(consent.text)}, follow_redirects=False)
    assert started.status_code == 303
    assert client.get(f"/t/{token}", follow_redirects=False).headers["location"].endswith("/s/about_you")
    events = bank.exec(select(AuditEvent).where(col(AuditEvent.action) == "assessment.consent_given")).all()
    assert len(events) == 1


def test_invitation_without_feedback_shows_a_thank_you_page(client: TestClient, bank: Session) -> None:
    from app.assessments import service as assessments

    token = invite(bank, feedback_to_candidate=False)
    assessment = _assessment(bank, token)
    assessments.save_answers(bank, assessment, example("self-test--senior"), section="about_you")
    assessments.submit(bank, assessment, actor="test")
    page = client.get(f"/t/{token}")
    assert page.status_code == 200
    assert "Thank you, your answers have been sent" in page.text
    assert "<svg" not in page.text


def test_feedback_is_kind_and_honest_for_a_weak_result(client: TestClient, bank: Session) -> None:
    from app.assessments import service as assessments

    token = _start(client)
    assessment = _assessment(bank, token)
    assessments.save_answers(bank, assessment, example("self-test--guru"), section="about_you")
    result = assessments.submit(bank, assessment, actor="test")
    assert result.verdict == "not_recommended" and result.calibration == "over_claiming"
    page = client.get(f"/t/{token}?lang=en")
    assert "That is an honest starting point, not a final judgement." in page.text
    assert "You rate yourself higher than your answers show." in page.text
    assert "Not recommended" not in page.text  # the HR label stays in the HR report
    assert "Impossible years of experience" in page.text  # what came across as a claim, with the reason
    # A mentor is no hiring condition for someone not recommended, but the way to grow into such a role.
    assert "build experience alongside such a professional" in page.text
    dutch = client.get(f"/t/{token}?lang=nl")
    assert "Dat is een eerlijk vertrekpunt, geen eindoordeel." in dutch.text


def test_invited_candidate_may_consent_to_keep_data_a_year(client: TestClient, bank: Session) -> None:
    candidate = Candidate(first_name="Noor", last_name="Smit", email="noor@example.org", language="en")
    bank.add(candidate)
    bank.flush()
    token = invite(bank, candidate_id=candidate.id)
    consent = client.get(f"/t/{token}")
    assert 'name="keep_longer"' in consent.text
    data = {"csrf_token": csrf_from(consent.text), "keep_longer": "yes"}
    assert client.post(f"/t/{token}", data=data, follow_redirects=False).status_code == 303
    bank.refresh(candidate)
    assert candidate.retention_consent_until is not None
    # The anonymous self-test has no such choice: there is nothing personal to keep.
    assert 'name="keep_longer"' not in client.get(f"/t/{_start(client)}").text


def test_feedback_says_where_the_self_view_differs_instead_of_a_plain_match(client: TestClient, bank: Session) -> None:
    from app.assessments import service as assessments

    token = _start(client)
    assessment = _assessment(bank, token)
    answers = example("self-test--midlevel") | {"rate_roi": 5, "rate_leadership": 5}
    assessments.save_answers(bank, assessment, answers, section="about_you")
    result = assessments.submit(bank, assessment, actor="test")
    assert result.calibration == "calibrated"
    page = client.get(f"/t/{token}?lang=en")
    assert "except in the areas below" in page.text
    assert "Your view of yourself matches what your answers show. That is a strength" not in page.text
    assert "Where your self-rating and your answers differ most" in page.text
    assert "behalve op de punten hieronder" in client.get(f"/t/{token}?lang=nl").text
