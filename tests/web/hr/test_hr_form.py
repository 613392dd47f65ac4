"""The HR questionnaire form: start it from the candidate, autosave per field, plain-form fallback, complete."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.assessments.models import AssessmentStatus
from app.reports.service import combined_result
from tests import factories as factory
from tests.assessments.conftest import example
from tests.web.hr.helpers import csrf_from, sign_in_as


def _form_fields(answers: dict[str, Any], token: str) -> dict[str, list[str]]:
    """Turn stored-answer shapes into what the browser sends for the HR form."""
    fields: dict[str, list[str]] = {"csrf_token": [token]}
    for item_id, value in answers.items():
        if isinstance(value, list):
            fields[item_id] = ["", *value]  # the empty marker before the check boxes
        elif value is None:
            fields[item_id] = ["not_observed"]
        else:
            fields[item_id] = [str(value)]
    return fields


def _start(client: TestClient, candidate_id: int) -> str:
    token = csrf_from(client.get(f"/hr/candidates/{candidate_id}/report").text)
    response = client.post(
        f"/hr/candidates/{candidate_id}/hr-assessment", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text[:300]
    location = response.headers["location"]
    assert location.endswith("/form")
    return location.split("/hr/assessments/")[1].removesuffix("/form")


def test_start_reopens_the_open_assessment(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.candidate(bank)
    first = _start(client, person.id)  # type: ignore[arg-type]
    assert _start(client, person.id) == first  # type: ignore[arg-type]
    assessment = assessments.get(bank, first)
    assert assessment.mode == "hr" and assessment.candidate_id == person.id


def test_form_renders_anchors_in_the_users_language(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.candidate(bank)
    assessment_id = _start(client, person.id)  # type: ignore[arg-type]
    english = client.get(f"/hr/assessments/{assessment_id}/form?lang=en").text
    assert "Goals before channels" in english and "Not observed" in english
    assert 'type="checkbox" name="references_confirmed_what"' in english
    assert 'name="portfolio_business_results" value="yes"' in english
    assert '<textarea name="notes_overall"' in english
    dutch = client.get(f"/hr/assessments/{assessment_id}/form?lang=nl").text
    assert "Doelen vóór kanalen" in dutch and "Niet waargenomen" in dutch


def test_autosave_per_field_and_completion(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.candidate(bank)
    factory.completed(bank, "self-test", "nephew", candidate_id=person.id)
    assessment_id = _start(client, person.id)  # type: ignore[arg-type]
    form_url = f"/hr/assessments/{assessment_id}/form"
    token = csrf_from(client.get(form_url).text)
    save = f"/hr/assessments/{assessment_id}/answers?lang=en"
    htmx = {"HX-Request": "true"}

    saved = client.post(save, data={"bars_goals_before_channels": "2", "csrf_token": token}, headers=htmx)
    assert saved.status_code == 200 and "Saved." in saved.text
    not_observed = client.post(save, data={"bars_plan_review": "not_observed", "csrf_token": token}, headers=htmx)
    assert not_observed.status_code == 200
    bad = client.post(save, data={"bars_continuity": "9", "csrf_token": token}, headers=htmx)
    assert bad.status_code == 422 and "Not saved:" in bad.text
    assessment = assessments.get(bank, assessment_id)
    assert assessments.answers_of(bank, assessment) == {"bars_goals_before_channels": 2, "bars_plan_review": None}
    assert assessment.status == AssessmentStatus.STARTED

    # Without htmx the Save button posts the whole form and comes back to it.
    fallback = client.post(
        save, data={"notes_overall": "Line one\nline <b>two</b>", "csrf_token": token}, follow_redirects=False
    )
    assert fallback.status_code == 303 and "saved=1" in fallback.headers["location"]
    assert "Line one\nline &lt;b&gt;two&lt;/b&gt;" in client.get(form_url).text

    # Completing with answers missing re-shows the form with what is missing.
    missing = client.post(f"/hr/assessments/{assessment_id}/complete?lang=en", data={"csrf_token": token})
    assert missing.status_code == 422 and "Answer this question to complete the assessment." in missing.text

    answers = example("hr-assessment--nephew")
    done = client.post(
        f"/hr/assessments/{assessment_id}/complete",
        data=_form_fields(answers, token),
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith(f"/hr/candidates/{person.id}/report")
    bank.refresh(assessment)
    assert assessment.status == AssessmentStatus.COMPLETED
    stored = assessments.answers_of(bank, assessment)
    assert stored["references_confirmed_what"] == ["role_and_tasks", "general_only"]
    assert "notes_follow_up" not in stored  # a blank note is no answer
    assert combined_result(bank, person, "en").verdict == "supervision_only"

    # A second click changes nothing; the form now reads as completed.
    again = client.post(f"/hr/assessments/{assessment_id}/complete", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303
    assert "This assessment is completed" in client.get(f"{form_url}?lang=en").text
    late = client.post(save, data={"bars_continuity": "3", "csrf_token": token}, headers=htmx)
    assert late.status_code == 409


def test_role_assessment_uses_the_same_form(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    job = factory.role(bank)
    created = assessments.create(
        bank,
        questionnaire_id="role-assessment",
        mode="hr",
        language="en",
        actor="test",
        role_id=job.id,  # type: ignore[arg-type]
    )
    form_url = f"/hr/assessments/{created.assessment.id}/form?lang=en"
    page = client.get(form_url)
    assert page.status_code == 200 and 'name="departments_served"' in page.text
    done = client.post(
        f"/hr/assessments/{created.assessment.id}/complete",
        data=_form_fields(example("role-assessment--well-designed"), csrf_from(page.text)),
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert assessments.get(bank, created.assessment.id).status == AssessmentStatus.COMPLETED


def test_viewer_cannot_fill_in_the_form(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.candidate(bank)
    created = assessments.create(
        bank,
        questionnaire_id="hr-assessment",
        mode="hr",
        language="en",
        actor="test",
        candidate_id=person.id,  # type: ignore[arg-type]
    )
    assert client.get(f"/hr/assessments/{created.assessment.id}/form").status_code == 403


def test_candidate_links_are_not_hr_forms(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.candidate(bank)
    created = assessments.create(
        bank,
        questionnaire_id="self-test",
        mode="invitation",
        language="en",
        actor="test",
        candidate_id=person.id,  # type: ignore[arg-type]
    )
    assert client.get(f"/hr/assessments/{created.assessment.id}/form").status_code == 404


def test_refused_answers_are_explained_in_the_page_language(client: TestClient, bank: Session) -> None:
    """The checks explain a refusal in English (for the API); HR reads the item's own sentence in Dutch."""
    sign_in_as(client, bank, UserRole.ADMIN)
    job = factory.role(bank)
    created = assessments.create(
        bank, questionnaire_id="role-assessment", mode="hr", language="nl", actor="test", role_id=job.id
    )
    form_url = f"/hr/assessments/{created.assessment.id}/form?lang=nl"
    token = csrf_from(client.get(form_url).text)
    refused = client.post(
        f"/hr/assessments/{created.assessment.id}/answers?lang=nl",
        data={"csrf_token": token, "departments_served": ["", "marketing", "no_other_department"]},
    )
    assert refused.status_code == 422
    assert "sluit de andere mogelijkheden uit: kies alleen deze, of vink hem uit." in refused.text
    assert "excludes every other option" not in refused.text  # the checks' English stays out of the page
    assert "departments_served" not in assessments.answers_of(bank, created.assessment)

    person = factory.candidate(bank)
    hr_id = _start(client, person.id)  # type: ignore[arg-type]
    out_of_range = client.post(
        f"/hr/assessments/{hr_id}/answers?lang=nl", data={"csrf_token": token, "bars_continuity": "9"}
    )
    assert out_of_range.status_code == 422 and "Kies een van de mogelijkheden." in out_of_range.text
    missing = client.post(f"/hr/assessments/{hr_id}/complete?lang=nl", data={"csrf_token": token})
    assert missing.status_code == 422
    assert "Beantwoord deze vraag om de beoordeling af te ronden." in missing.text
