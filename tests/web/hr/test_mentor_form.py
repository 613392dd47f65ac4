"""The mentor form: each refused field says why beside it, and a mentor has at least one place."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import UserRole
from app.mentors.models import Mentor
from tests.web.hr.helpers import csrf, sign_in_as

FIELDS = {"name": "Mia Bos", "email": "mia@example.org", "discipline": "marketing", "languages": ["nl"]}


def test_each_refused_field_has_its_message(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.ASSESSOR)
    client.cookies.set("lang", "nl")
    token = csrf(client, "/hr/mentors")
    refused = client.post(
        "/hr/mentors", data=FIELDS | {"years_experience": "tien", "capacity": "0", "csrf_token": token}
    )
    assert refused.status_code == 422
    years = re.search(r'<small class="field-error" id="m-years-error">([^<]+)</small>', refused.text)
    capacity = re.search(r'<small class="field-error" id="m-capacity-error">([^<]+)</small>', refused.text)
    assert years and years.group(1) == "Vul een heel getal in."
    assert capacity and capacity.group(1) == "Vul 1 of meer in."
    assert 'aria-describedby="m-years-error"' in refused.text and 'value="tien"' in refused.text
    bad_mail = client.post(
        "/hr/mentors", data=FIELDS | {"email": "mia", "years_experience": "10", "capacity": "2", "csrf_token": token}
    )
    assert bad_mail.status_code == 422 and "&#39;mia&#39; is geen e-mailadres." in bad_mail.text
    assert session.exec(select(Mentor)).all() == []

    made = client.post(
        "/hr/mentors",
        data=FIELDS | {"years_experience": "10", "capacity": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert session.exec(select(Mentor.capacity)).one() == 1
