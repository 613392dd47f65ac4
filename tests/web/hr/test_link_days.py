"""Letters in "Days the link stays valid" are refused beside the field, in the page's language, keeping the form."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.assessments.models import Assessment
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate
from app.mail.models import MailMessage
from app.roles import service as roles
from app.roles.models import RoleCreate
from tests.web.hr.helpers import csrf, sign_in_as


def _candidate(session: Session) -> Candidate:
    data = {"first_name": "Sanne", "last_name": "Dagen", "email": "sanne@example.org"}
    return candidates.create(session, CandidateCreate.model_validate(data), actor="test")


def test_letters_in_the_invite_form_are_refused_beside_the_field_in_dutch(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank)
    token = csrf(client, f"/hr/candidates/{candidate.id}")
    data = {"expires_in_days": "veertien", "feedback_to_candidate": "true", "csrf_token": token}
    refused = client.post(f"/hr/candidates/{candidate.id}/invitations?lang=nl", data=data)
    assert refused.status_code == 422
    page = refused.text
    # The candidate page again, with what was typed and the message beside the field (no error page).
    assert "Sanne Dagen" in page and 'value="veertien"' in page
    assert 'aria-describedby="expires-error"' in page
    assert '<small id="expires-error">&#39;veertien&#39; is geen heel getal: kies 1 tot en met 365.</small>' in page
    assert "expires_in_days</" not in page and "Aantal dagen dat de link geldig blijft" in page
    assert 'class="notice error-summary"' in page
    assert bank.exec(select(Assessment).where(Assessment.candidate_id == candidate.id)).all() == []


def test_an_empty_or_out_of_range_number_of_days_is_named_too(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank)
    token = csrf(client, f"/hr/candidates/{candidate.id}")
    url = f"/hr/candidates/{candidate.id}/invitations?lang=en"
    empty = client.post(url, data={"expires_in_days": " ", "csrf_token": token})
    assert empty.status_code == 422 and '<small id="expires-error">Fill in this field.</small>' in empty.text
    huge = client.post(url, data={"expires_in_days": "99999999999999999999", "csrf_token": token})
    assert huge.status_code == 422 and "99999999999999999999 is out of range: use 1 to 365." in huge.text
    spaced = client.post(url, data={"expires_in_days": " 7 ", "csrf_token": token}, follow_redirects=False)
    assert spaced.status_code == 303


def test_letters_on_resend_are_refused_beside_its_button_and_nothing_is_sent(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank)
    token = csrf(client, f"/hr/candidates/{candidate.id}")
    made = client.post(
        f"/hr/candidates/{candidate.id}/invitations",
        data={"expires_in_days": "7", "send": "true", "csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assessment = bank.exec(select(Assessment).where(Assessment.candidate_id == candidate.id)).one()
    token_before = assessment.token_hash
    refused = client.post(
        f"/hr/invitations/{assessment.id}/resend?lang=nl", data={"expires_in_days": "abc", "csrf_token": token}
    )
    assert refused.status_code == 422
    page = refused.text
    assert "Sanne Dagen" in page
    assert (
        f'id="resend-error-{assessment.id}">Aantal dagen dat de link geldig blijft: '
        "&#39;abc&#39; is geen heel getal: kies 1 tot en met 365.</small>"
    ) in page
    bank.refresh(assessment)
    assert assessment.token_hash == token_before  # the old link still works
    assert len(bank.exec(select(MailMessage).where(MailMessage.assessment_id == assessment.id)).all()) == 1

    out_of_range = client.post(
        f"/hr/invitations/{assessment.id}/resend?lang=en", data={"expires_in_days": "0", "csrf_token": token}
    )
    assert out_of_range.status_code == 422
    assert "Days the link stays valid: 0 is out of range: use 1 to 365." in out_of_range.text


def test_letters_in_the_bulk_invite_form_keep_the_list(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    role = roles.create(bank, RoleCreate(title="Webredacteur", language="nl"), actor="test")
    url = f"/hr/roles/{role.id}/invite-list"
    token = csrf(client, url)
    data = {"csrf_token": token, "language": "nl", "expires_in_days": "tien", "text": "Piet, piet@example.org"}
    refused = client.post(f"{url}?lang=nl", data=data)
    assert refused.status_code == 422
    assert 'value="tien"' in refused.text and "piet@example.org" in refused.text
    assert "&#39;tien&#39; is geen heel getal: kies 1 tot en met 365." in refused.text
    assert bank.exec(select(Candidate).where(Candidate.email == "piet@example.org")).all() == []
