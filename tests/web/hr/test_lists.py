"""The HR lists' filters as the forms send them (every "all" choice is an empty value), and their exports."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from tests import factories
from tests.web.hr.helpers import sign_in_as

# Exactly what the filter forms send when nothing is chosen (browsers send every field, "all" as empty).
CANDIDATE_FORM_ALL = "q=&role_id=&status=&verdict=&sort=updated&order=desc"
ASSESSMENT_FORM_ALL = "questionnaire_id=&role_id=&status=&verdict="


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="http://testserver/hr/candidates/\d+">([^<]+)</a>', html)


def test_every_all_value_of_the_candidate_filters_means_no_filter(client: TestClient, session: Session) -> None:
    sign_in_as(client, session, UserRole.VIEWER)
    job = factories.role(session)
    factories.candidate(session, "Anna", "Vos", role_id=job.id)
    factories.candidate(session, "Bram", "Bos")
    everyone = client.get(f"/hr/candidates?{CANDIDATE_FORM_ALL}&lang=nl")
    assert everyone.status_code == 200, everyone.text[:500]
    assert sorted(_names(everyone.text)) == ["Anna Vos", "Bram Bos"]
    # The htmx swap of the same form answers the results alone, with the same rows.
    swapped = client.get(f"/hr/candidates?{CANDIDATE_FORM_ALL}", headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and "<form" not in swapped.text
    assert sorted(_names(swapped.text)) == ["Anna Vos", "Bram Bos"]
    one_role = client.get(f"/hr/candidates?q=&role_id={job.id}&status=&verdict=&sort=&order=")
    assert one_role.status_code == 200 and _names(one_role.text) == ["Anna Vos"]
    # The export links carry only the filters set, so the CSV holds the same rows.
    assert f"candidates.csv?role_id={job.id}&amp;sort=updated&amp;order=desc" in one_role.text
    bad = client.get("/hr/candidates?role_id=abc&lang=nl")
    assert bad.status_code == 422 and "role_id" in bad.text


def test_every_all_value_of_the_assessment_filters_means_no_filter(client: TestClient, bank: Session) -> None:
    session = bank
    sign_in_as(client, session, UserRole.VIEWER)
    job = factories.role(session)
    person = factories.candidate(session, "Anna", "Vos", role_id=job.id)
    factories.opened(session, "self-test", candidate_id=person.id, role_id=job.id)
    factories.opened(session, "hr-assessment", candidate_id=factories.candidate(session, "Bram", "Bos").id)
    everyone = client.get(f"/hr/assessments?{ASSESSMENT_FORM_ALL}&lang=nl")
    assert everyone.status_code == 200, everyone.text[:500]
    assert sorted(_names(everyone.text)) == ["Anna Vos", "Bram Bos"]
    one_role = client.get(f"/hr/assessments?questionnaire_id=&role_id={job.id}&status=&verdict=")
    assert one_role.status_code == 200 and _names(one_role.text) == ["Anna Vos"]
    hr_only = client.get("/hr/assessments?questionnaire_id=hr-assessment&role_id=&status=&verdict=")
    assert _names(hr_only.text) == ["Bram Bos"]
