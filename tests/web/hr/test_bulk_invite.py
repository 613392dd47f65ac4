"""Bulk invite: a pasted or uploaded list, a report of every line not invited, and no double invitations."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.assessments.models import Assessment
from app.candidates.models import Candidate
from app.mail.models import MailMessage
from app.roles import service as roles
from app.roles.models import RoleCreate
from tests.web.hr.helpers import csrf_from, sign_in_as

LIST = """naam,e-mail
Sanne de Vries, sanne@example.org
Piet, piet@example.org
Joris Bakker, joris@@example
Eva Jansen; eva@example.org
Sanne de Vries, SANNE@example.org
Ali, Yilmaz, ali@example.org
too, many, cells, here@example.org, x

"""


def _post(client: TestClient, url: str, token: str, **files: tuple[str, bytes, str]) -> str:
    data = {"csrf_token": token, "language": "nl", "expires_in_days": "10"}
    if not files:
        data["text"] = LIST
    response = client.post(url, data=data, files=files or None)
    assert response.status_code == 200, response.text[:2000]
    return response.text


def test_a_pasted_list_is_invited_and_every_refused_line_is_reported(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    role = roles.create(bank, RoleCreate(title="Communicatieadviseur"), actor="test")
    url = f"/hr/roles/{role.id}/invite-list"
    assert url in client.get(f"/hr/roles/{role.id}").text
    token = csrf_from(client.get(f"{url}?lang=nl").text)
    page = _post(client, f"{url}?lang=nl", token)
    assert "Uitgenodigd: 3. Niet uitgenodigd: 3 geweigerd, 1 dubbel in de lijst, 0 al uitgenodigd." in page, re.sub(
        r"\s+", " ", page[page.find("<main") :]
    )[:3000]
    assert "geef een voornaam en een achternaam" in page  # line 3: "Piet"
    assert "joris@@example is geen e-mailadres" in page  # line 4
    assert "hetzelfde e-mailadres als regel 2" in page  # line 6
    assert "vastgehouden in Uitgaande e-mail — geen mailserver ingesteld" in page and "verzonden" not in page
    invited = bank.exec(select(Candidate).where(Candidate.role_id == role.id)).all()
    assert sorted(c.email or "" for c in invited) == ["ali@example.org", "eva@example.org", "sanne@example.org"]
    assert {(c.first_name, c.last_name, c.language) for c in invited} >= {
        ("Ali", "Yilmaz", "nl"),
        ("Sanne", "de Vries", "nl"),
    }
    held = bank.exec(select(MailMessage).where(MailMessage.kind == "invitation")).all()
    assert len(held) == 3 and all(m.status == "held" for m in held)

    # The same list again (a double submit): nobody is invited twice.
    again = _post(client, f"{url}?lang=nl", token)
    assert "Uitgenodigd: 0. Niet uitgenodigd: 3 geweigerd, 1 dubbel in de lijst, 3 al uitgenodigd." in again
    assert len(bank.exec(select(Assessment).where(Assessment.role_id == role.id)).all()) == 3


def test_an_uploaded_csv_file_is_read_and_a_bad_file_is_refused(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    role = roles.create(bank, RoleCreate(title="Woordvoerder"), actor="test")
    url = f"/hr/roles/{role.id}/invite-list"
    token = csrf_from(client.get(url).text)
    csv_file = "voornaam;achternaam;e-mail\r\nNoor;El Amrani;noor@example.org\r\n".encode("utf-8-sig")
    page = _post(client, url, token, upload=("lijst.csv", csv_file, "text/csv"))
    assert "Invited: 1. Not invited: 0 refused" in page and "noor@example.org" in page
    bad = client.post(
        f"{url}?lang=nl",
        data={"csrf_token": token, "language": "nl", "expires_in_days": "10"},
        files={"upload": ("lijst.csv", b"\xff\xfe\x00bad", "text/csv")},
    )
    assert bad.status_code == 422 and "Het bestand is geen UTF-8-tekst" in bad.text
    empty = client.post(url, data={"csrf_token": token, "language": "nl", "expires_in_days": "10", "text": " "})
    assert empty.status_code == 422 and "Plak een lijst of kies een bestand." in empty.text


def test_without_a_mail_server_the_page_says_so_and_gives_the_links(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    role = roles.create(bank, RoleCreate(title="Contentmaker"), actor="test")
    url = f"/hr/roles/{role.id}/invite-list?lang=nl"
    form = client.get(url).text
    assert "de uitnodigingen wachten in Uitgaande e-mail" in form
    assert "krijgt de persoonlijke link per e-mail" not in form  # no promise of e-mail that will not leave
    data = {"csrf_token": csrf_from(form), "language": "nl", "expires_in_days": "10"}
    page = client.post(url, data=data | {"text": "Noor El Amrani, noor@example.org"}).text
    links = re.findall(r'class="once-link" aria-label="Uitnodigingslink van Noor El Amrani"', page)
    link = re.search(r'value="(http://testserver/[^"]+)" class="once-link"', page)
    assert len(links) == 1 and link
    assert client.get(link.group(1)).status_code == 200  # the candidate's own working link
    held = bank.exec(select(MailMessage).where(MailMessage.kind == "invitation")).one()
    assert f"/hr/outbox/{held.id}" in page and "Er is geen e-mail verstuurd" in page
    # The candidate page says the same as the Outbox: held, not queued.
    candidate = bank.exec(select(Candidate).where(Candidate.role_id == role.id)).one()
    detail = client.get(f"/hr/candidates/{candidate.id}?lang=nl").text
    assert "vastgehouden in Uitgaande e-mail" in detail and "in de wachtrij" not in detail
    assert "Vastgehouden" in client.get("/hr/outbox?lang=nl").text


def test_with_a_mail_server_the_links_stay_in_the_mail(client: TestClient, bank: Session) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    state.settings = state.settings.model_copy(update={"smtp_host": "mail.invalid"})
    sign_in_as(client, bank, UserRole.ASSESSOR)
    role = roles.create(bank, RoleCreate(title="Contentmaker"), actor="test")
    url = f"/hr/roles/{role.id}/invite-list?lang=nl"
    form = client.get(url).text
    assert "krijgt de persoonlijke link per e-mail" in form and "Uitgaande e-mail" not in form
    data = {"csrf_token": csrf_from(form), "language": "nl", "expires_in_days": "10"}
    page = client.post(url, data=data | {"text": "Noor El Amrani, noor@example.org"}).text
    assert 'class="once-link"' not in page and "in de e-mail" in page
