"""The candidate names their own referees on their link after submitting, when the invitation allows it."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.mail.models import MailMessage
from app.referees import named
from app.referees import service as referees
from app.referees.models import NamedBy, RefereeCreate, RefereeStatus
from tests import factories as factory
from tests.web.candidate.conftest import csrf_from
from tests.web.hr.helpers import sign_in_as
from tests.web.lang.test_dutch_pages import untranslated
from tests.web.referee.test_pages import ANSWERS

REFEREE = {
    "name": "Marta <b>Visser</b>",
    "email": "marta@visser.nl",
    "relation": "colleague",
    "period": "2021-2024",
    "language": "nl",
    "agreed": "true",
}


def _form(page: str) -> dict[str, str]:
    key = re.search(r'name="form_key" value="(\d+)"', page)
    assert key, "the page has no referee form"
    return {"csrf_token": csrf_from(page), "form_key": key.group(1)}


def test_feedback_page_offers_naming_only_when_the_invitation_allows_it(client: TestClient, bank: Session) -> None:
    _, _, token = factory.naming_link(bank)
    page = client.get(f"/t/{token}?lang=en").text
    assert "Name your referees" in page and f"/t/{token}/referees" in page
    _, _, other = factory.naming_link(bank, "senior", allowed=False)
    assert "Name your referees" not in client.get(f"/t/{other}?lang=en").text
    assert client.get(f"/t/{other}/referees").status_code == 404


def test_before_submitting_the_referee_page_leads_to_the_test(client: TestClient, bank: Session) -> None:
    person = factory.candidate(bank)
    created = assessments.create(
        bank,
        questionnaire_id="self-test",
        mode="invitation",
        language="en",
        actor="hr",
        candidate_id=person.id,
        candidate_names_referees=True,
    )
    response = client.get(f"/t/{created.token}/referees", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith(f"/t/{created.token}")


def test_candidate_names_a_referee_who_gets_their_link_by_mail(client: TestClient, bank: Session) -> None:
    person, _, token = factory.naming_link(bank)
    page = client.get(f"/t/{token}/referees?lang=en")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "You can name 3 more." in page.text and "I agree that the people I name are contacted" in page.text
    sent = client.post(f"/t/{token}/referees", data=REFEREE | _form(page.text), follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].endswith(f"/t/{token}/referees?saved=1")
    shown = client.get(f"/t/{token}/referees?lang=en&saved=1").text
    assert "Marta &lt;b&gt;Visser&lt;/b&gt;" in shown and "invited, not answered yet" in shown
    assert "You can name 2 more." in shown and "You agreed on" in shown
    [row] = referees.list_for(bank, person.id)  # type: ignore[arg-type]
    assert row.referee.named_by == NamedBy.CANDIDATE and row.referee.language == "nl"
    mail = bank.exec(select(MailMessage).where(MailMessage.to_address == "marta@visser.nl")).one()
    assert mail.kind == "referee_invitation" and mail.sealed_link and "Referentieverzoek" in mail.subject
    # The same form again (a second click): nothing is added twice, and the candidate lands on the list.
    again = client.post(f"/t/{token}/referees", data=REFEREE | _form(page.text), follow_redirects=False)
    assert again.status_code == 303
    assert len(referees.list_for(bank, person.id)) == 1  # type: ignore[arg-type]
    assert len(bank.exec(select(MailMessage).where(MailMessage.to_address == "marta@visser.nl")).all()) == 1
    # An older form with someone else: refused with the reason, the typed values kept.
    other = client.post(
        f"/t/{token}/referees?lang=en",
        data=REFEREE | _form(page.text) | {"email": "jan@example.com", "name": "Jan Smit"},
    )
    assert other.status_code == 409 and "Your list changed after this form was shown" in other.text
    assert 'value="Jan Smit"' in other.text


def test_bad_fields_are_named_in_dutch_and_nothing_is_saved(client: TestClient, bank: Session) -> None:
    person, _, token = factory.naming_link(bank)
    page = client.get(f"/t/{token}/referees?lang=nl")
    bad = REFEREE | {"name": " ", "email": "marta-at-visser", "relation": "friend", "period": "", "agreed": ""}
    response = client.post(f"/t/{token}/referees?lang=nl", data=bad | _form(page.text))
    assert response.status_code == 422
    text = response.text
    for field in ("name", "email", "relation", "period"):
        assert f'id="ref-{field}-error"' in text, field
    assert "Vul een e-mailadres in, zoals naam@example.org." in text and "Vul dit veld in." in text
    assert untranslated(text) == []
    no_consent = client.post(f"/t/{token}/referees?lang=nl", data=REFEREE | _form(page.text) | {"agreed": ""})
    assert no_consent.status_code == 422 and "Vink het vakje aan" in no_consent.text
    own = client.post(
        f"/t/{token}/referees?lang=en", data=REFEREE | _form(page.text) | {"email": "midlevel@example.org"}
    )
    assert own.status_code == 422 and "midlevel@example.org is your own address; name someone else." in own.text
    assert referees.list_for(bank, person.id) == []  # type: ignore[arg-type]


def test_candidate_sees_the_status_never_the_answers_and_hr_sees_who_named(client: TestClient, bank: Session) -> None:
    person, _, token = factory.naming_link(bank)
    page = client.get(f"/t/{token}/referees")
    client.post(f"/t/{token}/referees", data=REFEREE | _form(page.text))
    [row] = referees.list_for(bank, person.id)  # type: ignore[arg-type]
    assert row.assessment is not None
    referees.mark_started(bank, row.referee, network=None)
    assessments.save_answers(bank, row.assessment, ANSWERS)
    assessments.submit(bank, row.assessment, actor="referee")
    shown = client.get(f"/t/{token}/referees?lang=en").text
    assert "answered" in shown and "No, that is not right" not in shown and "Nee, dat klopt niet" not in shown
    sign_in_as(client, bank, UserRole.ASSESSOR)
    hr = client.get(f"/hr/candidates/{person.id}/referees?lang=en").text
    assert "Named by" in hr and "the candidate" in hr and "recorded by candidate" in hr


def test_hr_allows_naming_in_the_invitation_form(client: TestClient, bank: Session) -> None:
    person = factory.candidate(bank)
    sign_in_as(client, bank, UserRole.ASSESSOR)
    page = client.get(f"/hr/candidates/{person.id}?lang=en").text
    assert "Let the candidate name up to three referees after submitting" in page
    client.post(
        f"/hr/candidates/{person.id}/invitations",
        data={"csrf_token": csrf_from(page), "expires_in_days": "14", "candidate_names_referees": "true"},
    )
    invited = bank.exec(select(Assessment).where(Assessment.candidate_id == person.id)).all()
    assert [a.candidate_names_referees for a in invited] == [True]


def _named(bank: Session, link: Assessment, email: str) -> referees.Added:
    data = RefereeCreate(name="Jan Smit", email=email, relation="manager", period="2020-2022", language="en")
    added = named.name(bank, link, data, agreed=True, form_key=link.referees_named)
    assert added is not None
    return added


def _withdraw_form(page: str, action: str) -> dict[str, str]:
    assert f'action="http://testserver{action}"' in page or f'action="{action}"' in page, action
    return {"csrf_token": csrf_from(page)}


def _audit(bank: Session, action: str) -> list[AuditEvent]:
    return list(bank.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))).all())


def test_candidate_withdraws_a_referee_they_named_after_ticking_the_box(client: TestClient, bank: Session) -> None:
    person, link, token = factory.naming_link(bank)
    added = _named(bank, link, "jan@example.com")
    referee_id = added.referee.id
    action = f"/t/{token}/referees/{referee_id}/withdraw"
    page = client.get(f"/t/{token}/referees?lang=en").text
    assert "Withdraw Jan Smit" in page and "Yes, withdraw Jan Smit as my referee." in page
    form = _withdraw_form(page, action)
    # Without the ticked box nothing happens: the reason is shown beside the box.
    unticked = client.post(f"{action}?lang=en", data=form)
    assert unticked.status_code == 422 and "Tick the box to confirm that you withdraw this referee." in unticked.text
    assert f'aria-describedby="withdraw-{referee_id}-error"' in unticked.text
    assert referees.list_for(bank, person.id)[0].status == RefereeStatus.INVITED  # type: ignore[arg-type]
    done = client.post(action, data=form | {"confirmed": "true"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith(f"/t/{token}/referees?withdrawn=referee")
    [row] = referees.list_for(bank, person.id)  # type: ignore[arg-type]
    assert row.status == RefereeStatus.REVOKED
    assert client.get(f"/r/{added.token}").status_code == 410  # their link stopped working (gone)
    shown = client.get(f"/t/{token}/referees?lang=en&withdrawn=referee").text
    assert "Withdrawn: that referee's link no longer works." in html.unescape(shown)
    assert "withdrawn: their link no longer works" in shown and "Withdraw Jan Smit" not in shown
    assert "You can name 3 more." in shown  # the place is free again
    # A second click changes nothing and records nothing twice.
    again = client.post(action, data=form | {"confirmed": "true"}, follow_redirects=False)
    assert again.status_code == 303
    [entry] = _audit(bank, "referee.revoked_by_candidate")
    assert entry.actor == "candidate" and entry.object_id == str(referee_id)
    assert entry.detail == {"candidate_id": person.id, "link_assessment_id": link.id}  # ids only
    # The same address cannot come back, as with a referee HR withdrew.
    page = client.get(f"/t/{token}/referees?lang=en").text
    refused = client.post(
        f"/t/{token}/referees?lang=en", data=REFEREE | _form(page) | {"email": "jan@example.com", "name": "Jan"}
    )
    assert refused.status_code == 422 and "jan@example.com is already one of your referees." in refused.text


def test_candidate_cannot_withdraw_hr_referees_nor_an_answered_statement(client: TestClient, bank: Session) -> None:
    person, link, token = factory.naming_link(bank)
    answered = _named(bank, link, "jan@example.com")
    assert answered.referee.assessment_id is not None
    statement = assessments.get(bank, answered.referee.assessment_id)
    referees.mark_started(bank, answered.referee, network=None)
    assessments.save_answers(bank, statement, ANSWERS)
    assessments.submit(bank, statement, actor="referee")
    data = RefereeCreate(name="Eva de Wit", email="eva@example.com", relation="client", period="2023", language="en")
    by_hr = referees.add(bank, person, data, actor="hr@example.org", expires_at=None)
    page = client.get(f"/t/{token}/referees?lang=en").text
    assert "Eva de Wit" not in page and "Withdraw Jan Smit" not in page  # answered: nothing to withdraw
    form = {"csrf_token": csrf_from(page), "confirmed": "true"}
    hr_one = client.post(f"/t/{token}/referees/{by_hr.referee.id}/withdraw", data=form)
    assert hr_one.status_code == 404
    late = client.post(f"/t/{token}/referees/{answered.referee.id}/withdraw?lang=en", data=form)
    assert late.status_code == 409 and "This referee has answered already" in late.text
    statuses = {row.referee.id: row.status for row in referees.list_for(bank, person.id)}  # type: ignore[arg-type]
    assert statuses == {answered.referee.id: RefereeStatus.COMPLETED, by_hr.referee.id: RefereeStatus.INVITED}
    assert _audit(bank, "referee.revoked_by_candidate") == []


def test_candidate_withdraws_their_consent_and_every_open_link_stops(client: TestClient, bank: Session) -> None:
    person, link, token = factory.naming_link(bank)
    own = _named(bank, link, "jan@example.com")
    data = RefereeCreate(name="Eva de Wit", email="eva@example.com", relation="client", period="2023", language="en")
    by_hr = referees.add(bank, person, data, actor="hr@example.org", expires_at=None)
    action = f"/t/{token}/referees/consent/withdraw"
    page = client.get(f"/t/{token}/referees?lang=nl").text
    assert untranslated(page) == []
    assert "Je toestemming intrekken" in page and "ook die van referenten die de organisatie opgaf" in page
    form = _withdraw_form(page, action)
    unticked = client.post(f"{action}?lang=nl", data=form)
    assert unticked.status_code == 422
    assert "Vink het vakje aan om te bevestigen dat je je toestemming intrekt." in unticked.text
    assert untranslated(unticked.text) == []
    assert referees.consent_of(bank, person.id) is not None  # type: ignore[arg-type]
    done = client.post(action, data=form | {"confirmed": "true"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith(f"/t/{token}/referees?withdrawn=consent")
    assert referees.consent_of(bank, person.id) is None  # type: ignore[arg-type]
    assert {row.status for row in referees.list_for(bank, person.id)} == {RefereeStatus.REVOKED}  # type: ignore[arg-type]
    for gone in (own.token, by_hr.token):
        assert client.get(f"/r/{gone}").status_code == 410
    shown = client.get(f"/t/{token}/referees?lang=en&withdrawn=consent").text
    assert "Your consent is withdrawn: referees who had not answered yet can no longer open their link." in shown
    assert "Your consent was withdrawn on" in shown and "Withdraw your consent" not in shown
    assert "I agree that the people I name are contacted" in shown  # naming someone asks for consent again
    again = client.post(action, data=form | {"confirmed": "true"}, follow_redirects=False)
    assert again.status_code == 303
    [entry] = _audit(bank, "referee.consent_withdrawn")
    assert entry.actor == "candidate" and entry.object_id == str(person.id) and entry.detail == {}
    sign_in_as(client, bank, UserRole.ASSESSOR)
    hr = client.get(f"/hr/candidates/{person.id}/referees?lang=en").text
    assert "Record the consent" in hr  # HR sees that no consent stands


def test_hr_candidate_page_shows_the_option_and_how_many_were_named(client: TestClient, bank: Session) -> None:
    person, link, _ = factory.naming_link(bank)
    sign_in_as(client, bank, UserRole.ASSESSOR)
    page = client.get(f"/hr/candidates/{person.id}?lang=en").text
    assert "The candidate may name referees on this link: 0 named so far." in page
    _named(bank, link, "jan@example.com")
    page = client.get(f"/hr/candidates/{person.id}?lang=nl").text
    assert "De kandidaat mag via deze link referenten opgeven: tot nu toe 1 opgegeven." in page
    other, _, _ = factory.naming_link(bank, "senior", allowed=False)
    assert "may name referees" not in client.get(f"/hr/candidates/{other.id}?lang=en").text


def test_the_referee_link_a_candidate_sends_follows_the_address_the_page_was_opened_at(
    client: TestClient, bank: Session
) -> None:
    # Without TOUCHSTONE_BASE_URL (development) every link follows the request's address, this one too.
    from app.mail import service as mail

    _, _, token = factory.naming_link(bank)
    host = {"host": "localhost:8001"}
    page = client.get(f"/t/{token}/referees?lang=en", headers=host)
    sent = client.post(f"/t/{token}/referees", data=REFEREE | _form(page.text), headers=host, follow_redirects=False)
    assert sent.status_code == 303
    message = bank.exec(select(MailMessage).where(MailMessage.to_address == "marta@visser.nl")).one()
    assert "http://localhost:8001/r/" in mail.readable_body(message, client.app.state.settings)  # type: ignore[attr-defined]
