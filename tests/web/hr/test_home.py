"""The HR start page: the pipeline per role, counted once per candidate, each count linking to its list."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import UserRole
from app.candidates import invitations, pipeline
from app.candidates import service as candidates
from app.candidates.retention import close_procedure
from tests import factories
from tests.web.hr.helpers import sign_in_as


def _world(session: Session) -> tuple[int, int]:
    lead = factories.role(session, "Social media lead")
    editor = factories.role(session, "Content editor")
    for first in ("Ann", "Bob"):
        person = factories.candidate(session, first, "Invited", role_id=lead.id)
        factories.opened(session, candidate_id=person.id, role_id=lead.id)
        candidates.refresh_summary(session, person.id)  # as the invitation pages do
    done = factories.persona(session, "midlevel", role_id=lead.id)
    decided = factories.persona(session, "senior", role_id=editor.id)
    close_procedure(session, decided, actor="test")
    factories.candidate(session, "Nobody", "Yet", role_id=editor.id)  # never invited: a column of its own
    withdrawn = factories.candidate(session, "Wim", "Revoked", role_id=lead.id)
    invitations.revoke(session, factories.opened(session, candidate_id=withdrawn.id, role_id=lead.id), actor="test")
    session.flush()
    assert done.id is not None and lead.id is not None and editor.id is not None
    return lead.id, editor.id


def _listed(bank: Session, role_id: int, status: str | None = None) -> int:
    return len(candidates.list_candidates(bank, role_id=role_id, status=status, limit=100).items)


def test_pipeline_counts_each_candidate_once_and_adds_up_to_the_roles_list(bank: Session) -> None:
    lead, editor = _world(bank)
    lines = {line.role_id: line for line in pipeline.per_role(bank)}
    nothing = dict.fromkeys(pipeline.STAGES, 0)
    assert lines[lead].counts == nothing | {"invited": 2, "completed": 1, "cancelled": 1}
    assert lines[lead].decided == 0
    assert lines[editor].counts == nothing | {"none": 1, "completed": 1}
    assert lines[editor].decided == 1  # the senior, closed: also counted at their status
    # Every number is the length of the list it opens: the total is the role's candidate list.
    for role_id in (lead, editor):
        assert lines[role_id].total == _listed(bank, role_id)
        for stage in pipeline.STAGES:
            assert lines[role_id].counts[stage] == _listed(bank, role_id, stage)


def test_home_page_shows_the_pipeline_in_dutch_with_links(client: TestClient, bank: Session) -> None:
    lead, _editor = _world(bank)
    sign_in_as(client, bank, UserRole.VIEWER)
    response = client.get("/hr", headers={"Accept-Language": "nl"})
    assert response.status_code == 200
    assert "Pijplijn" in response.text and "Uitgenodigd" in response.text
    link = re.search(rf'href="[^"]*/hr/candidates\?role_id={lead}&amp;status=invited">(\d+)</a>', response.text)
    assert link and link.group(1) == "2"
    listed = client.get(f"/hr/candidates?role_id={lead}&status=invited")
    assert "Ann" in listed.text and "Bob" in listed.text and "Midlevel" not in listed.text
    revoked = re.search(rf'href="[^"]*/hr/candidates\?role_id={lead}&amp;status=cancelled">(\d+)</a>', response.text)
    assert revoked and revoked.group(1) == "1" and "Ingetrokken" in response.text
    total = re.search(rf'href="[^"]*/hr/candidates\?role_id={lead}">(\d+)</a>', response.text)
    assert total and total.group(1) == "4"  # Ann, Bob, the midlevel persona and Wim: the role's list
