"""The interview guide page: built from the self-test, in Dutch and English, printable, audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.audit.models import AuditEvent
from tests import factories as factory
from tests.web.hr.helpers import csrf_from, sign_in_as


def test_guide_needs_sign_in(client: TestClient, bank: Session) -> None:
    person = factory.persona(bank, "guru")
    response = client.get(f"/hr/candidates/{person.id}/interview-guide", follow_redirects=False)
    assert response.status_code == 303 and "/hr/login" in response.headers["location"]


def test_guide_lists_questions_for_the_claims_and_is_audited(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "guru")
    response = client.get(f"/hr/candidates/{person.id}/interview-guide?lang=en")
    assert response.status_code == 200, response.text[:500]
    page = response.text
    assert "Interview guide" in page and "hr-report.css" in page
    assert "Impossible years of experience" in page
    assert "Walk me through your years on the platform" in page
    assert "A credible answer" in page and "tenure_checked" not in page  # HR items by name, not by id
    assert "Claims versus answers" in page  # the linked HR scale by its name
    assert "Self-reported, not confirmed yet: How many years" in page
    assert 'id="dimension-roi"' in page
    viewed = bank.exec(select(AuditEvent).where(AuditEvent.action == "interview_guide.viewed")).all()
    assert [e.object_id for e in viewed] == [str(person.id)]


def test_guide_in_dutch(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "guru")
    page = client.get(f"/hr/candidates/{person.id}/interview-guide?lang=nl").text
    assert "Interviewgids" in page and "Een geloofwaardig antwoord" in page
    assert "Loop met me door je jaren" in page


def test_guide_before_the_self_test_says_so(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.candidate(bank)
    page = client.get(f"/hr/candidates/{person.id}/interview-guide?lang=en").text
    assert "The guide appears once the candidate has completed the self-test" in page
    detail = client.get(f"/hr/candidates/{person.id}?lang=en").text
    assert f"/hr/candidates/{person.id}/interview-guide" in detail


def test_guide_for_an_unknown_candidate_is_404(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    assert client.get("/hr/candidates/999999/interview-guide").status_code == 404


def test_hr_form_shows_the_guide_beside_each_scale(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.candidate(bank)
    token = csrf_from(client.get(f"/hr/candidates/{person.id}/report").text)
    started = client.post(f"/hr/candidates/{person.id}/hr-assessment", data={"csrf_token": token})
    assert started.status_code == 200, started.text[:300]
    english = client.get(str(started.url) + "?lang=en").text
    assert english.count("Interview guide for this scale") == 12  # one per behaviourally anchored scale
    assert "Sales asks:" in english
    assert "Turning a request from sales or HR into a plan" in english and "<code>bars_sales_request" not in english
    dutch = client.get(str(started.url) + "?lang=nl").text
    assert "Interviewgids bij deze schaal" in dutch and "Sales vraagt:" in dutch
