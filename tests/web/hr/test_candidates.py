"""Candidate pages: list (filters, search, sort, pages), CSV export, forms, invitations, escaping."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts.models import UserRole
from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate
from app.db import utcnow
from app.mail import service as mail
from app.mail.models import MailMessage
from app.roles import service as roles
from app.roles.models import RoleCreate
from tests.web.hr.helpers import csrf, csrf_from, sign_in_as


def _candidate(session: Session, first: str, last: str = "Jansen", **fields: object) -> Candidate:
    data = {"first_name": first, "last_name": last, "email": f"{first.lower()}@example.org", **fields}
    return candidates.create(session, CandidateCreate.model_validate(data), actor="test")


def _rows(html: str) -> list[str]:
    return re.findall(r'<a href="http://testserver/hr/candidates/\d+">([^<]+)</a>', html)


def test_list_filters_searches_sorts_and_pages(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.VIEWER)
    role = roles.create(session, RoleCreate(title="Community lead"), actor="test")
    base = utcnow() - dt.timedelta(hours=1)
    for i in range(55):
        c = _candidate(session, f"Person{i:02d}", role_id=role.id if i % 2 else None)
        c.updated_at = base + dt.timedelta(seconds=i)
        c.status = "completed" if i % 5 == 0 else "invited"
        session.add(c)
    session.flush()

    first = client.get("/hr/candidates")
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    names = _rows(first.text)
    assert len(names) == 50 and names[0] == "Person54 Jansen"
    next_link = re.search(r'href="([^"]+after=[^"]+)" rel="next"', first.text)
    assert next_link
    second = client.get(next_link.group(1).replace("&amp;", "&"))
    assert _rows(second.text) == [f"Person{i:02d} Jansen" for i in range(4, -1, -1)]
    assert 'rel="next"' not in second.text

    filtered = _rows(client.get(f"/hr/candidates?role_id={role.id}&status=completed").text)
    assert filtered == ["Person45 Jansen", "Person35 Jansen", "Person25 Jansen", "Person15 Jansen", "Person05 Jansen"]
    assert _rows(client.get("/hr/candidates?q=person07").text) == ["Person07 Jansen"]
    ascending = _rows(client.get("/hr/candidates?sort=name&order=asc&q=person0").text)
    assert ascending == [f"Person0{i} Jansen" for i in range(10)]
    # Filters survive into the next-page link.
    paged = client.get("/hr/candidates?q=person&sort=name")
    assert "q=person" in re.search(r'href="([^"]+)" rel="next"', paged.text).group(1)  # type: ignore[union-attr]
    assert client.get("/hr/candidates?status=bogus").status_code == 422
    assert client.get("/hr/candidates?after=tampered").status_code == 400
    # The filter form (htmx) gets the results alone; the same URL without htmx gets the whole page.
    fragment = client.get("/hr/candidates?q=person07", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and _rows(fragment.text) == ["Person07 Jansen"]
    # A viewer reads, but sees no forms that change anything.
    assert "hr/candidates/new" not in first.text


def test_create_edit_and_422_rerender(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ASSESSOR)
    token = csrf(client, "/hr/candidates/new")
    bad = client.post(
        "/hr/candidates",
        data={"first_name": "  ", "last_name": "Visser", "email": "not-an-address", "csrf_token": token},
    )
    assert bad.status_code == 422
    assert 'value="Visser"' in bad.text and 'aria-invalid="true"' in bad.text
    assert session.exec(select(Candidate)).all() == []

    made = client.post(
        "/hr/candidates",
        data={
            "first_name": " Eva ",
            "last_name": "Visser",
            "email": "EVA@example.org",
            "language": "nl",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    candidate = session.exec(select(Candidate)).one()
    assert (candidate.first_name, candidate.email, candidate.language) == ("Eva", "eva@example.org", "nl")
    edited = client.post(
        f"/hr/candidates/{candidate.id}/edit",
        data={"first_name": "Eva", "last_name": "de Visser", "email": "", "language": "nl", "csrf_token": token},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    session.refresh(candidate)
    assert candidate.last_name == "de Visser" and candidate.email is None

    # A rejected edit shows the form again with what was typed and leaves the saved candidate alone.
    rejected = client.post(
        f"/hr/candidates/{candidate.id}/edit",
        data={"first_name": "Eva", "last_name": "Jansen", "email": "no-at-sign", "csrf_token": token},
    )
    assert rejected.status_code == 422
    assert 'value="Jansen"' in rejected.text and 'aria-invalid="true"' in rejected.text
    unknown_role = client.post(
        f"/hr/candidates/{candidate.id}/edit",
        data={"first_name": "Eva", "last_name": "Jansen", "role_id": "999999", "csrf_token": token},
    )
    assert unknown_role.status_code == 422
    assert "This role does not exist." in unknown_role.text
    session.refresh(candidate)
    assert (candidate.last_name, candidate.email, candidate.role_id) == ("de Visser", None, None)


def test_every_problem_of_the_candidate_form_is_named_at_once(client: TestClient, session: Session) -> None:
    """An empty name and a bad address are both marked on the first try, not the address on the second."""
    sign_in_as(client, session, UserRole.ASSESSOR)
    token = csrf(client, "/hr/candidates/new")
    bad = client.post(
        "/hr/candidates?lang=nl",
        data={"first_name": "Anna", "last_name": "", "email": "anna-at-example", "csrf_token": token},
    )
    assert bad.status_code == 422
    invalid = set(re.findall(r'name="(\w+)"[^>]*aria-invalid="true"', bad.text))
    assert invalid == {"last_name", "email"}, invalid
    assert "&#39;anna-at-example&#39; is geen e-mailadres." in bad.text
    assert session.exec(select(Candidate)).first() is None
    edited = client.post(
        "/hr/candidates",
        data={"first_name": "", "last_name": "", "email": "x@", "csrf_token": token},
    )
    assert set(re.findall(r'name="(\w+)"[^>]*aria-invalid="true"', edited.text)) == {"first_name", "last_name", "email"}


def test_invitation_create_shows_the_link_once_then_revoke_and_resend(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank, "Noor", language="nl")
    page = client.get(f"/hr/candidates/{candidate.id}")
    token = csrf_from(page.text)
    created = client.post(
        f"/hr/candidates/{candidate.id}/invitations",
        data={"expires_in_days": "7", "send": "true", "csrf_token": token},
        follow_redirects=False,
    )
    assert created.status_code == 303
    shown = client.get(created.headers["location"])
    # No TOUCHSTONE_BASE_URL outside production: the link points at the address the request came in on.
    link = re.search(r'value="(http://testserver/t/[^"]+)"', shown.text)
    assert link, "the new link is shown after the redirect"
    assert link.group(1) not in client.get(f"/hr/candidates/{candidate.id}").text  # only once
    viewed = bank.exec(
        select(AuditEvent).where(AuditEvent.action == "candidate.viewed").order_by(col(AuditEvent.id))
    ).all()
    assert len(viewed) == 3 and viewed[0].object_id == str(candidate.id) and viewed[0].actor == "assessor@example.org"

    assessment = bank.exec(select(Assessment).where(Assessment.candidate_id == candidate.id)).one()
    assert assessment.feedback_to_candidate is False and assessment.language == "nl"
    assert assessment.expires_at and 6 <= (assessment.expires_at - utcnow()).days <= 7
    assert assessments.by_token(bank, link.group(1).rsplit("/", 1)[1]).id == assessment.id
    held = bank.exec(select(MailMessage).where(MailMessage.assessment_id == assessment.id)).one()
    assert held.status == "held" and held.to_address == "noor@example.org"
    assert link.group(1) not in held.body_text  # stored sealed; the outbox page puts it in
    assert link.group(1) in mail.readable_body(held, client.app.state.settings)  # type: ignore[attr-defined]
    bank.refresh(candidate)
    assert candidate.status == "invited"

    resent = client.post(f"/hr/invitations/{assessment.id}/resend", data={"csrf_token": token}, follow_redirects=False)
    assert resent.status_code == 303
    new_link = re.search(r'value="(http://testserver/t/[^"]+)"', client.get(resent.headers["location"]).text)
    assert new_link and new_link.group(1) != link.group(1)
    assert len(bank.exec(select(MailMessage).where(MailMessage.assessment_id == assessment.id)).all()) == 2

    # Revoking asks first: its button is folded into a <details> that says what it does (no JavaScript needed).
    detail = client.get(f"/hr/candidates/{candidate.id}?lang=nl").text
    confirm = re.search(r'<details class="confirm">\s*<summary>Intrekken</summary>(.*?)</details>', detail, re.S)
    assert confirm and "werkt meteen niet meer" in confirm.group(1)
    folded = confirm.group(1)
    assert f"/hr/invitations/{assessment.id}/revoke" in folded and "Link intrekken</button>" in folded
    assert detail.count(f"/hr/invitations/{assessment.id}/revoke") == 1  # no unfolded button beside it
    revoked = client.post(f"/hr/invitations/{assessment.id}/revoke", data={"csrf_token": token}, follow_redirects=False)
    assert revoked.status_code == 303
    bank.refresh(candidate)
    assert candidate.status == "cancelled"
    assert client.get(new_link.group(1)).status_code == 410


def test_invitation_errors_rerender_and_write_nothing(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ADMIN)
    candidate = _candidate(bank, "Mo", email=None)
    token = csrf(client, f"/hr/candidates/{candidate.id}")
    no_mail = client.post(f"/hr/candidates/{candidate.id}/invitations", data={"send": "true", "csrf_token": token})
    assert no_mail.status_code == 422 and "no e-mail address" in no_mail.text
    too_long = client.post(
        f"/hr/candidates/{candidate.id}/invitations", data={"expires_in_days": "999", "csrf_token": token}
    )
    assert too_long.status_code == 422 and 'value="999"' in too_long.text
    assert bank.exec(select(Assessment).where(Assessment.candidate_id == candidate.id)).all() == []


def test_viewers_see_no_forms_and_cannot_post(client: TestClient, bank: Session) -> None:
    candidate = _candidate(bank, "Ilse")
    sign_in_as(client, bank, UserRole.VIEWER)
    page = client.get(f"/hr/candidates/{candidate.id}")
    assert page.status_code == 200
    assert "invitations" not in page.text and "/edit" not in page.text
    token = csrf_from(page.text)  # the sign-out form
    refused = client.post(f"/hr/candidates/{candidate.id}/invitations", data={"csrf_token": token})
    assert refused.status_code == 403
    assert bank.exec(select(Assessment)).all() == []


def test_a_configured_base_url_is_used_and_another_host_is_warned_about(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    # http: an https:// base URL would switch to __Host- cookies, which the test client does not send over http.
    app_settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = app_settings.model_copy(update={"base_url": "http://hr.example.org"})  # type: ignore[attr-defined]
    candidate = _candidate(bank, "Ilse")
    page = client.get(f"/hr/candidates/{candidate.id}")
    assert "Links in invitations point at http://hr.example.org" in page.text  # opened at http://testserver
    created = client.post(
        f"/hr/candidates/{candidate.id}/invitations",
        data={"expires_in_days": "7", "send": "true", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert re.search(r'value="http://hr\.example\.org/t/[^"]+"', client.get(created.headers["location"]).text)
    held = bank.exec(select(MailMessage).where(MailMessage.to_address == "ilse@example.org")).one()
    assert "http://hr.example.org/t/" in mail.readable_body(held, app_settings)
    same_host = client.get(f"/hr/candidates/{candidate.id}", headers={"host": "hr.example.org"})
    assert "Links in invitations point at" not in same_host.text


def test_mail_made_in_development_carries_the_requests_address(client: TestClient, bank: Session) -> None:
    sign_in_as(client, bank, UserRole.ASSESSOR)
    candidate = _candidate(bank, "Joep")
    page = client.get(f"/hr/candidates/{candidate.id}")
    assert "Links in invitations point at" not in page.text
    client.post(
        f"/hr/candidates/{candidate.id}/invitations",
        data={"expires_in_days": "7", "send": "true", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    held = bank.exec(select(MailMessage).where(MailMessage.to_address == "joep@example.org")).one()
    # The worker sends it later with no request: the address is sealed into the message at invitation time.
    assert "http://testserver/t/" in mail.readable_body(held, client.app.state.settings)  # type: ignore[attr-defined]


def test_new_candidate_language_defaults_to_the_page_language(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ASSESSOR)
    client.cookies.set("lang", "nl")
    page = client.get("/hr/candidates/new")
    assert re.search(r'<option value="nl" lang="nl" selected>', page.text)
    assert not re.search(r'<option value="en" lang="en" selected>', page.text)
    client.cookies.set("lang", "en")
    assert re.search(r'<option value="en" lang="en" selected>', client.get("/hr/candidates/new").text)
