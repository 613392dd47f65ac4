"""Roles: create, update, keyset list, and the latest completed role assessment."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.errors import NotFound
from app.roles import service
from app.roles.models import RoleCreate
from tests.assessments.conftest import example


def test_create_update_get(session: Session) -> None:
    role = service.create(session, RoleCreate(title="  Webcare  ", department="Service"), actor="test")
    assert role.title == "Webcare" and service.get(session, role.id) is role  # type: ignore[arg-type]
    service.update(session, role, RoleCreate(title="Webcare lead", language="nl"), actor="test")
    assert (role.title, role.department, role.language) == ("Webcare lead", None, "nl")
    with pytest.raises(NotFound):
        service.get(session, 424242)


def test_list_roles_pages_by_title(session: Session) -> None:
    for title in ["Delta", "Alpha", "Charlie", "Bravo", "Alpha"]:
        service.create(session, RoleCreate(title=title), actor="test")
    seen, after = [], None
    while True:
        page = service.list_roles(session, after=after, limit=2)
        seen += [r.title for r in page.items]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == ["Alpha", "Alpha", "Bravo", "Charlie", "Delta"]


def test_latest_role_assessment_is_the_last_completed_one(bank: Session) -> None:
    role = service.create(bank, RoleCreate(title="Social media"), actor="test")
    assert service.latest_role_assessment(bank, role) is None
    first = assessments.create(
        bank, questionnaire_id="role-assessment", mode=AssessmentMode.HR, language="en", actor="t", role_id=role.id
    ).assessment
    assert service.open_role_assessment(bank, role) == first
    assert service.latest_role_assessment(bank, role) is None  # not completed yet
    assessments.save_answers(bank, first, example("role-assessment--one-person-show"))
    assessments.submit(bank, first, actor="t")
    assert service.latest_role_assessment(bank, role) == first and service.open_role_assessment(bank, role) is None
    # A self-test linked to the role is not a role assessment.
    other = assessments.create(
        bank, questionnaire_id="self-test", mode=AssessmentMode.HR, language="en", actor="t", role_id=role.id
    ).assessment
    assessments.save_answers(bank, other, example("self-test--senior"))
    assessments.submit(bank, other, actor="t")
    assert service.latest_role_assessment(bank, role) == first
