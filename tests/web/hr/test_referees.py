"""HR's referee page: consent first, add with the link shown once, bad fields named, revoke, resend."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.assessments.models import Assessment
from app.db import utcnow
from app.mail import service as mail
from app.mail.models import MailMessage, MailStatus
from app.referees import mail as referee_mail
from app.referees import service as referees
from app.referees.models import Referee
from tests import factories as factory
from tests.dates import dutch_long
from tests.web.hr.helpers import csrf_from, sign_in_as

FIELDS = {"name": "Marta Visser", "email": "marta@example.org", "relation": "manager", "period": "2021-2024"}


def _page(client: TestClient, candidate_id: int, lang: str = "en") -> str:
    response = client.get(f"/hr/candidates/{candidate_id}/referees?lang={lang}")
    assert response.status_code == 200, response.text[:300]
    return response.text


def _consent(client: TestClient, candidate_id: int) -> None:
    token = csrf_from(_page(client, candidate_id))
    response = client.post(
        f"/hr/candidates/{candidate_id}/referees/consent", data={"agreed": "true", "csrf_token": token}
    )
    assert response.status_code == 200


def test_referees_need_consent_first(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    page = _page(client, person.id)
    assert "Referees are contacted only after the candidate agreed" in page
    assert "Add a referee" not in page
    token = csrf_from(page)
    refused = client.post(
        f"/hr/candidates/{person.id}/referees", data=FIELDS | {"csrf_token": token}, follow_redirects=False
    )
    assert refused.status_code == 422 and "consent first: no referee was added" in refused.text
    unticked = client.post(f"/hr/candidates/{person.id}/referees/consent", data={"csrf_token": token})
    assert unticked.status_code == 422 and "Tick the box" in unticked.text
    _consent(client, person.id)
    assert "Add a referee" in _page(client, person.id)


def test_add_shows_the_link_once_and_lists_the_status(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    added = client.post(f"/hr/candidates/{person.id}/referees", data=FIELDS | {"csrf_token": token})
    assert added.status_code == 200
    link = re.search(r'value="(http[^"]+/r/[^"]+)"', added.text)
    assert link, "the new link is shown"
    assert "Marta Visser" in added.text and "invited" in added.text
    again = _page(client, person.id)
    assert link.group(1) not in again  # shown only once
    referee = bank.exec(select(Referee).where(Referee.candidate_id == person.id)).one()
    revoke = client.post(f"/hr/referees/{referee.id}/revoke", data={"csrf_token": token})
    assert revoke.status_code == 200 and "revoked" in revoke.text
    assert "Referenten" in _page(client, person.id, "nl") and "ingetrokken" in _page(client, person.id, "nl")


def test_bad_fields_are_named_and_kept(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    response = client.post(
        f"/hr/candidates/{person.id}/referees",
        data=FIELDS | {"email": "marta-at-example", "csrf_token": token},
    )
    assert response.status_code == 422
    assert 'id="ref-email-error"' in response.text and 'value="Marta Visser"' in response.text
    assert bank.exec(select(Referee).where(Referee.candidate_id == person.id)).all() == []


def test_the_candidates_own_address_and_a_second_time_are_refused_in_dutch(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    assert person.email
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    url = f"/hr/candidates/{person.id}/referees?lang=nl"
    own = client.post(url, data=FIELDS | {"email": person.email.upper(), "csrf_token": token})
    assert own.status_code == 422
    assert f"{person.email} is het eigen e-mailadres van de kandidaat" in own.text
    assert bank.exec(select(Referee).where(Referee.candidate_id == person.id)).all() == []
    assert client.post(url, data=FIELDS | {"csrf_token": token}).status_code == 200
    twice = client.post(url, data=FIELDS | {"csrf_token": token})
    assert twice.status_code == 422
    assert "marta@example.org is al referent van deze kandidaat." in twice.text
    assert "already a referee" not in twice.text


def test_viewer_reads_but_cannot_add(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.VIEWER)
    person = factory.persona(bank, "midlevel")
    page = _page(client, person.id)
    assert "Record the consent" not in page
    token = csrf_from(page)
    refused = client.post(f"/hr/candidates/{person.id}/referees/consent", data={"agreed": "true", "csrf_token": token})
    assert refused.status_code == 403


def test_add_can_mail_the_link_in_the_referees_language(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    fields = FIELDS | {"language": "nl", "send": "true", "csrf_token": token}
    added = client.post(f"/hr/candidates/{person.id}/referees", data=fields)
    assert added.status_code == 200 and "on its way to the referee" in added.text
    message = bank.exec(select(MailMessage).where(MailMessage.to_address == "marta@example.org")).one()
    assert message.kind == "referee_invitation" and message.subject == "Referentieverzoek voor Midlevel Persona"
    link = re.search(r'value="(http[^"]+/r/[^"]+)"', added.text)
    assert link and link.group(1) not in message.body_text  # the link is stored sealed, never readable
    assert link.group(1) in mail.readable_body(message, client.app.state.settings)  # type: ignore[attr-defined]


def test_withdrawn_consent_stops_open_links(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    client.post(f"/hr/candidates/{person.id}/referees", data=FIELDS | {"csrf_token": token})
    withdrawn = client.post(f"/hr/candidates/{person.id}/referees/consent/withdraw", data={"csrf_token": token})
    assert withdrawn.status_code == 200 and "Consent withdrawn on" in withdrawn.text
    assert "revoked" in withdrawn.text and "Add a referee" not in withdrawn.text
    # Later visits still say when: the date of the withdrawal, in the reader's language.
    when = referees.consent_withdrawn_at(bank, person.id)  # type: ignore[arg-type]
    assert when is not None
    assert f"Consent withdrawn on {when:%B} {when.day}, {when.year}" in _page(client, person.id)
    assert f"Toestemming ingetrokken op {dutch_long(when)}" in _page(client, person.id, "nl")


def test_the_reminder_is_shown_as_its_mail_really_stands(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    client.post(f"/hr/candidates/{person.id}/referees", data=FIELDS | {"send": "true", "csrf_token": token})
    assert "Reminder planned for" in _page(client, person.id)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    assert referee_mail.remind_due(bank, settings, now=utcnow() + dt.timedelta(days=13)) == 1
    page = _page(client, person.id)
    assert "Reminder planned for" not in page and "Reminder: held in the Outbox — no mail server configured" in page
    assert "sent on" not in page  # not before a mail server accepted it
    reminder = bank.exec(select(MailMessage).where(MailMessage.kind == referee_mail.KIND_REMINDER)).one()
    reminder.status, reminder.sent_at = MailStatus.SENT, utcnow()
    bank.add(reminder)
    bank.flush()
    assert "Herinnering: verzonden op" in _page(client, person.id, lang="nl")


def test_letters_in_the_days_are_refused_beside_the_field(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    response = client.post(
        f"/hr/candidates/{person.id}/referees?lang=nl",
        data=FIELDS | {"expires_in_days": "twee weken", "csrf_token": token},
    )
    assert response.status_code == 422
    assert 'value="twee weken"' in response.text and 'value="Marta Visser"' in response.text
    assert "&#39;twee weken&#39; is geen heel getal: kies 1 tot en met 365." in response.text
    assert bank.exec(select(Referee).where(Referee.candidate_id == person.id)).all() == []


def test_letters_or_too_many_days_for_a_new_link_are_refused_in_its_row(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    person = factory.persona(bank, "midlevel")
    _consent(client, person.id)
    token = csrf_from(_page(client, person.id))
    client.post(f"/hr/candidates/{person.id}/referees", data=FIELDS | {"send": "true", "csrf_token": token})
    referee = bank.exec(select(Referee).where(Referee.candidate_id == person.id)).one()
    link = bank.get(Assessment, referee.assessment_id)
    assert link is not None
    hash_before = link.token_hash
    url = f"/hr/referees/{referee.id}/resend"

    letters = client.post(f"{url}?lang=nl", data={"expires_in_days": "drie", "csrf_token": token})
    assert letters.status_code == 422
    page = letters.text
    # The referee page again (no error page), the days as typed in that referee's row, the message beside them.
    assert "Marta Visser" in page and "Referenten" in page
    assert f'id="resend-days-{referee.id}"' in page and 'value="drie"' in page
    assert f'aria-describedby="resend-error-{referee.id}"' in page
    assert (
        f'id="resend-error-{referee.id}">Aantal dagen dat de link geldig blijft: '
        "&#39;drie&#39; is geen heel getal: kies 1 tot en met 365.</small>"
    ) in page

    too_many = client.post(f"{url}?lang=en", data={"expires_in_days": "400", "csrf_token": token})
    assert too_many.status_code == 422
    assert 'value="400"' in too_many.text
    assert "Days the link stays valid: 400 is out of range: use 1 to 365.</small>" in too_many.text

    bank.refresh(link)
    assert link.token_hash == hash_before  # the referee's link still works
    mails = bank.exec(select(MailMessage).where(MailMessage.to_address == "marta@example.org")).all()
    assert len(mails) == 1  # nothing sent again

    renewed = client.post(url, data={"expires_in_days": "10", "csrf_token": token})
    assert renewed.status_code == 200 and "on its way to the referee" in renewed.text
