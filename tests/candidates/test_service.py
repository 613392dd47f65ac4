"""Candidates: validation, changes, the summary kept by the lifecycle, and the keyset-paged list."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from app.assessments import service as assessments
from app.candidates import invitations, service
from app.candidates.models import Candidate, CandidateCreate, CandidateUpdate
from app.config import Settings
from app.db import utcnow
from app.errors import BadRequest, Invalid, NotFound
from app.roles import service as roles
from app.roles.models import RoleCreate
from tests.assessments.conftest import example


def _new(session: Session, first: str = "Ada", last: str = "Lovelace", **fields: object) -> Candidate:
    data = {"first_name": first, "last_name": last, "email": f"{first}.{last}@example.org".lower(), **fields}
    return service.create(session, CandidateCreate.model_validate(data), actor="test")


def test_create_trims_names_checks_the_email_and_audits(session: Session) -> None:
    candidate = _new(session, "  Ada ", " Lovelace  ", email=" ADA@Example.org ")
    assert (candidate.first_name, candidate.last_name, candidate.email) == ("Ada", "Lovelace", "ada@example.org")
    assert candidate.status == "none" and candidate.name_key == "lovelace ada"
    with pytest.raises(Invalid, match="not an e-mail address") as info:
        _new(session, "Bob", "B", email="bob@localhost")
    assert info.value.extra["field"] == "email"
    with pytest.raises(Invalid, match="language"):
        _new(session, "Cy", "C", language="fr")
    with pytest.raises(NotFound):
        service.get(session, 987654)


def test_update_applies_only_given_fields(session: Session) -> None:
    candidate = _new(session)
    service.update(session, candidate, CandidateUpdate(last_name=" Byron "), actor="test")
    assert candidate.last_name == "Byron" and candidate.first_name == "Ada" and candidate.name_key == "byron ada"
    service.update(session, candidate, CandidateUpdate.model_validate({"email": ""}), actor="test")
    assert candidate.email is None
    with pytest.raises(Invalid):
        service.update(session, candidate, CandidateUpdate(email="nope"), actor="test")


def test_summary_follows_the_lifecycle(bank: Session, settings: Settings) -> None:
    candidate = _new(bank)
    invited = invitations.invite(bank, settings, candidate, actor="test", expires_at=utcnow() + dt.timedelta(days=3))
    assert candidate.status == "invited" and invited.link.startswith(f"{settings.base_url}/t/")
    before = candidate.updated_at
    assessments.save_answers(bank, invited.assessment, {"self_title": "marketing_professional"})
    bank.refresh(candidate)
    assert candidate.status == "started" and candidate.last_activity_at is not None
    assert candidate.updated_at >= before
    assessments.save_answers(bank, invited.assessment, example("self-test--guru"))
    result = assessments.submit(bank, invited.assessment, actor="test")
    bank.refresh(candidate)
    assert candidate.status == "completed"
    assert candidate.verdict == result.verdict == "not_recommended" and candidate.verdict_rank == 3
    assert candidate.evidence_overall == result.evidence_overall
    assert candidate.claims_index == result.claims_index

    second = invitations.invite(bank, settings, candidate, actor="test", expires_at=None)
    bank.refresh(candidate)
    assert candidate.status == "invited" and candidate.verdict == "not_recommended"  # verdict stays
    invitations.revoke(bank, second.assessment, actor="test")
    bank.refresh(candidate)
    assert candidate.status == "cancelled"


def test_expiry_updates_the_summary(bank: Session, settings: Settings) -> None:
    candidate = _new(bank)
    invited = invitations.invite(bank, settings, candidate, actor="test", expires_at=utcnow() + dt.timedelta(days=1))
    assert assessments.expire_due(bank, now=utcnow() + dt.timedelta(days=2)) == 1
    bank.refresh(candidate)
    assert candidate.status == "expired"
    resent = invitations.resend(bank, settings, invited.assessment, actor="test", expires_at=None, send=False)
    bank.refresh(candidate)
    assert candidate.status == "invited" and resent.link != invited.link


def _names(page: object) -> list[str]:
    return [c.first_name for c in page.items]  # type: ignore[attr-defined]


def _set(session: Session, candidate: Candidate, **values: object) -> None:
    for key, value in values.items():
        setattr(candidate, key, value)
    session.add(candidate)
    session.flush()


def test_list_filters_searches_sorts_and_pages(session: Session) -> None:
    role = roles.create(session, RoleCreate(title="Social media lead"), actor="test")
    base = utcnow() - dt.timedelta(days=1)
    people = {}
    for i, (first, last) in enumerate([("Anna", "Zwart"), ("Bram", "Yilmaz"), ("Cor", "Xu"), ("Dewi", "Wit")]):
        people[first] = _new(session, first, last)
        _set(session, people[first], updated_at=base + dt.timedelta(minutes=i))
    _set(
        session,
        people["Anna"],
        role_id=role.id,
        status="completed",
        verdict="ready_to_lead",
        verdict_rank=0,
        evidence_overall=80.0,
        claims_index=10.0,
    )
    _set(
        session,
        people["Bram"],
        status="completed",
        verdict="not_recommended",
        verdict_rank=3,
        evidence_overall=20.0,
        claims_index=90.0,
    )
    _set(session, people["Cor"], role_id=role.id, status="invited")

    assert _names(service.list_candidates(session)) == ["Dewi", "Cor", "Bram", "Anna"]
    assert _names(service.list_candidates(session, descending=False)) == ["Anna", "Bram", "Cor", "Dewi"]
    assert _names(service.list_candidates(session, role_id=role.id)) == ["Cor", "Anna"]
    assert _names(service.list_candidates(session, status="completed")) == ["Bram", "Anna"]
    assert _names(service.list_candidates(session, status="none")) == ["Dewi"]
    assert _names(service.list_candidates(session, verdict="ready_to_lead")) == ["Anna"]
    assert _names(service.list_candidates(session, q="YILM")) == ["Bram"]
    assert _names(service.list_candidates(session, q="dewi.wit@")) == ["Dewi"]
    assert _names(service.list_candidates(session, q="100%_")) == []  # LIKE wildcards are literal
    assert _names(service.list_candidates(session, sort="name", descending=False)) == ["Dewi", "Cor", "Bram", "Anna"]
    # Empty values sort last in both directions.
    assert _names(service.list_candidates(session, sort="evidence")) == ["Anna", "Bram", "Dewi", "Cor"]
    assert _names(service.list_candidates(session, sort="evidence", descending=False))[:2] == ["Bram", "Anna"]
    assert _names(service.list_candidates(session, sort="claims"))[:2] == ["Bram", "Anna"]
    assert _names(service.list_candidates(session, sort="verdict", descending=False))[:2] == ["Anna", "Bram"]
    since = service.list_candidates(session, updated_since=base + dt.timedelta(minutes=2))
    assert _names(since) == ["Dewi", "Cor"]


@pytest.mark.parametrize("sort", list(service.SORTS))
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_pages_cover_every_row_exactly_once(session: Session, sort: str, descending: bool) -> None:
    base = utcnow() - dt.timedelta(days=1)
    for i in range(23):
        candidate = _new(session, f"P{i:02d}", f"L{i % 5}")
        # Ties on purpose (the same time, score or verdict for several rows): the id breaks them.
        _set(
            session,
            candidate,
            updated_at=base + dt.timedelta(minutes=i % 4),
            evidence_overall=None if i % 3 == 0 else float(i % 4),
            claims_index=float(i % 2),
            verdict_rank=None if i % 2 else i % 4,
        )
    unpaged = _names(service.list_candidates(session, sort=sort, descending=descending, limit=100))
    seen: list[str] = []
    after = None
    while True:
        page = service.list_candidates(session, sort=sort, descending=descending, after=after, limit=4)
        seen += _names(page)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == unpaged and len(seen) == 23


def test_bad_parameters_are_clear_422s(session: Session) -> None:
    with pytest.raises(Invalid, match="status 'done'"):
        service.list_candidates(session, status="done")
    with pytest.raises(Invalid, match="verdict"):
        service.list_candidates(session, verdict="great")
    with pytest.raises(Invalid, match="sort"):
        service.list_candidates(session, sort="salary")
    with pytest.raises(BadRequest, match="cursor"):  # a cursor we did not make: 400, not a field error
        service.list_candidates(session, after="garbage!")
    for i in range(3):
        _new(session, f"Q{i}", "Q")
    cursor = service.list_candidates(session, limit=1).next_cursor
    assert cursor
    with pytest.raises(Invalid, match="another sort order"):
        service.list_candidates(session, sort="name", after=cursor)


def test_list_assessments_filters(bank: Session, settings: Settings) -> None:
    role = roles.create(bank, RoleCreate(title="Role"), actor="test")
    candidate = _new(bank, role_id=role.id)
    done = invitations.invite(bank, settings, candidate, actor="test", expires_at=None).assessment
    assessments.save_answers(bank, done, example("self-test--senior"))
    verdict = assessments.submit(bank, done, actor="test").verdict
    open_one = invitations.invite(bank, settings, candidate, actor="test", expires_at=None).assessment
    ids = lambda page: [a.id for a in page.items]  # noqa: E731
    assert set(ids(service.list_assessments(bank, role_id=role.id))) == {done.id, open_one.id}
    assert ids(service.list_assessments(bank, status="completed", role_id=role.id)) == [done.id]
    assert ids(service.list_assessments(bank, verdict=verdict, role_id=role.id)) == [done.id]
    assert set(ids(service.list_assessments(bank, questionnaire_id="self-test", candidate_id=candidate.id))) == {
        done.id,
        open_one.id,
    }
    assert ids(service.list_assessments(bank, questionnaire_id="hr-assessment", role_id=role.id)) == []
    first = service.list_assessments(bank, candidate_id=candidate.id, limit=1)
    second = service.list_assessments(bank, candidate_id=candidate.id, limit=1, after=first.next_cursor)
    assert len(first.items) == len(second.items) == 1 and first.items[0].id != second.items[0].id
