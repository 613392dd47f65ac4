"""The organisation: set by an admin, named in the e-mails and on the candidate's pages with the next steps."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.candidates import invitations
from app.candidates import service as candidates
from app.candidates.models import CandidateCreate
from app.config import Settings
from app.db import utcnow
from app.mail import service as mail
from app.roles import service as roles
from app.roles.models import RoleCreate
from tests.assessments.conftest import example
from tests.web.hr.helpers import csrf_from, sign_in_as

FORM = {
    "name": "Gemeente Utrecht",
    "colour": "#1A5FB4",
    "contact_name": "Fatima Bakker",
    "contact_email": "f.bakker@example.org",
    "invitation_text_nl": "",
    "invitation_text_en": "We would like to get to know you better.",
    "reminder_text_nl": "",
    "reminder_text_en": "",
}


def test_an_admin_sets_the_organisation_and_mail_and_pages_name_it(
    client: TestClient, bank: Session, settings: Settings
) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    token = csrf_from(client.get("/hr/organisation?lang=nl").text)
    bad = client.post("/hr/organisation", data=FORM | {"colour": "red", "csrf_token": token})
    assert bad.status_code == 422 and "Gebruik een kleur zoals #1a5fb4" in bad.text
    assert 'value="Gemeente Utrecht"' in bad.text  # what was typed is kept
    gif = {"logo": ("logo.gif", b"GIF89a" + b"x" * 40, "image/png")}  # the declared type is not believed
    not_image = client.post("/hr/organisation", data=FORM | {"csrf_token": token}, files=gif)
    assert not_image.status_code == 422 and "Het logo moet een PNG- of JPEG-afbeelding zijn." in not_image.text
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    saved = client.post(
        "/hr/organisation",
        data=FORM | {"csrf_token": token},
        files={"logo": ("logo.png", png, "image/png")},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    logo = client.get("/organisation/logo")
    assert logo.content == png and logo.headers["content-type"] == "image/png"
    assert logo.headers["x-content-type-options"] == "nosniff"
    page = client.get("/hr/organisation").text
    assert 'value="#1a5fb4"' in page and "Je uitnodiging van Gemeente Utrecht" in page  # the preview
    assert "We would like to get to know you better." in page

    role = roles.create(bank, RoleCreate(title="Woordvoerder"), actor="test")
    data = CandidateCreate(
        first_name="Noor", last_name="Smit", email="noor@example.org", language="nl", role_id=role.id
    )
    candidate = candidates.create(bank, data, actor="test")
    expires = utcnow() + dt.timedelta(days=7)
    created = invitations.invite(bank, settings, candidate, actor="t", expires_at=expires, send=True)
    assert created.mail is not None
    assert created.mail.subject == "Je uitnodiging van Gemeente Utrecht"
    body = mail.readable_body(created.mail, settings)
    assert "Gemeente Utrecht nodigt je uit voor een assessment voor de functie Woordvoerder." in body
    assert "Vragen? Neem contact op met Fatima Bakker (f.bakker@example.org)." in body
    assert body.rstrip().endswith("Fatima Bakker\nGemeente Utrecht") and "\nTouchstone" not in body

    landing = client.get(created.link.removeprefix("http://testserver") + "?lang=nl").text
    assert "Gemeente Utrecht nodigt je uit voor de vacature Woordvoerder." in landing
    assert 'href="mailto:f.bakker@example.org"' in landing and "/organisation.css" in landing
    assert '/organisation/logo" alt="Gemeente Utrecht"' in landing
    css = client.get("/organisation.css")
    assert css.headers["content-type"].startswith("text/css") and "--org-colour: #1a5fb4;" in css.text

    # The feedback page says what happens now and whom to contact.
    assessments.save_answers(bank, created.assessment, example("self-test--senior"), section="about_you")
    assessments.submit(bank, created.assessment, actor="test")
    feedback = client.get(created.link.removeprefix("http://testserver") + "?lang=nl").text
    assert "Jouw feedback" in feedback and "Wat er nu gebeurt" in feedback
    assert "Gemeente Utrecht heeft nu je resultaat en neemt contact met je op over de volgende stap" in feedback
    assert "Vragen? Neem contact op met Fatima Bakker" in feedback and "mailto:f.bakker@example.org" in feedback


def test_the_hr_header_shows_the_logo_named_after_the_organisation(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    # No logo: no image at all (never a broken one).
    before = client.get("/hr/candidates?lang=nl").text
    assert "brand-logo" not in before and client.get("/organisation/logo").status_code == 404
    token = csrf_from(client.get("/hr/organisation").text)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client.post("/hr/organisation", data=FORM | {"csrf_token": token}, files={"logo": ("l.png", png, "image/png")})
    for path in ("/hr", "/hr/candidates", "/hr/organisation"):
        page = client.get(f"{path}?lang=nl").text
        assert '<img src="http://testserver/organisation/logo" alt="Gemeente Utrecht" class="brand-logo">' in page
    logo = client.get("/organisation/logo")
    assert logo.status_code == 200 and logo.content == png
    # Asked again with its ETag, the unchanged logo is not sent again.
    again = client.get("/organisation/logo", headers={"If-None-Match": logo.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # Without a name the image still has a text alternative.
    client.post("/hr/organisation", data=FORM | {"name": "", "csrf_token": token})
    assert 'alt="Logo van je organisatie" class="brand-logo"' in client.get("/hr?lang=nl").text
    client.post("/hr/organisation", data=FORM | {"remove_logo": "true", "csrf_token": token})
    assert "brand-logo" not in client.get("/hr?lang=nl").text
