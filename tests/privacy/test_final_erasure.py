"""Erasure is final and leaves no copies: read-only afterwards, re-runnable, and every store is cleaned at once."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app import schema
from app.accounts import sessions
from app.accounts.models import User, UserRole
from app.apikeys import service as apikeys
from app.apikeys.models import IdempotencyRecord
from app.audit.models import AuditEvent
from app.candidates import invitations
from app.candidates.models import Candidate
from app.config import Settings
from app.db import create_db_engine
from app.errors import Gone
from app.integrations.greenhouse.models import GreenhouseInterview, GreenhouseResponseError
from app.mail.models import MailMessage
from app.mentors import service as mentors
from app.mentors.models import MentorCreate
from app.privacy import erasure
from app.privacy import service as privacy
from app.reports import decisions
from app.reports import service as reports
from app.reports.models import DecisionKind
from app.scoring.model import Discipline
from tests import databases
from tests.privacy.conftest import EMAIL, FIRST, LAST, REF, Taken, example, make_candidate

PERSONAL = (FIRST, LAST, EMAIL, REF)


def _mentions_person(value: object) -> bool:
    text = json.dumps(value, ensure_ascii=False, default=str).lower()
    return any(p.lower() in text for p in PERSONAL)


def _api(session: Session) -> dict[str, str]:
    _key, secret = apikeys.create_key(session, name="ats", scopes=["read", "write"], actor="test")
    session.flush()
    return {"Authorization": f"Bearer {secret}"}


def _sign_in(client: TestClient, session: Session, settings: Settings, role: UserRole = UserRole.ADMIN) -> User:
    user = User(email=f"{role}@hr.example.org", password_hash="x", role=role)
    session.add(user)
    session.flush()
    client.cookies.set(sessions.COOKIE, sessions.start(session, user, settings))
    return user


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def test_api_erased_candidate_is_read_only_and_erasure_is_repeatable(client: TestClient, bank: Session) -> None:
    headers = _api(bank)
    body = {"first_name": FIRST, "last_name": LAST, "email": EMAIL, "external_ref": REF}
    candidate_id = client.post("/api/v1/candidates", json=body, headers=headers).json()["id"]
    assert client.delete(f"/api/v1/candidates/{candidate_id}", headers=headers).status_code == 204

    patched = client.patch(
        f"/api/v1/candidates/{candidate_id}", json={"first_name": FIRST, "email": EMAIL}, headers=headers
    )
    assert patched.status_code == 410
    assert patched.headers["content-type"].startswith("application/problem+json")
    assert "erased" in patched.json()["detail"] and "read-only" in patched.json()["detail"]
    shown = client.get(f"/api/v1/candidates/{candidate_id}", headers=headers).json()
    assert not _mentions_person(shown)
    assert shown["erased_at"] is not None and shown["retention_until"] is None

    # A copy that reached a store after the first erasure is removed by the second: nothing stops early.
    candidate = bank.get(Candidate, candidate_id)
    assert candidate is not None
    bank.add(
        GreenhouseInterview(
            candidate_id=candidate_id,
            partner_test_id="self-test",
            callback_url="https://g/1",
            greenhouse_profile_url="https://greenhouse.example/people/1",
        )
    )
    bank.flush()
    assert client.delete(f"/api/v1/candidates/{candidate_id}", headers=headers).status_code == 204
    assert bank.exec(select(GreenhouseInterview)).one().greenhouse_profile_url is None
    # Logged and announced once.
    erased = bank.exec(select(AuditEvent).where(AuditEvent.action == "candidate.erased")).all()
    assert len(erased) == 1


def test_no_service_writes_personal_data_to_an_erased_candidate(
    taken: Taken, bank: Session, settings: Settings
) -> None:
    candidate = taken.candidate
    privacy.erase_candidate(bank, candidate, actor="user:1")
    combined = reports.combined_result(bank, candidate, "en")
    with pytest.raises(Gone):
        decisions.record(
            bank,
            candidate=candidate,
            combined=combined,
            decision=DecisionKind.HOLD,
            note=f"call {FIRST}",
            reason=None,
            user_id=None,
            actor="user:1",
            settings=settings,
        )
    with pytest.raises(Gone):
        invitations.invite(bank, settings, candidate, actor="user:1", expires_at=None)
    with pytest.raises(Gone):
        reports.start_hr_assessment(bank, candidate, language="en", actor="user:1")
    mentor = mentors.create(
        bank,
        MentorCreate(
            name="M",
            email="m@example.org",
            discipline=Discipline.MARKETING,
            years_experience=10,
            capacity=2,
            languages=["en"],
        ),
        actor="test",
    )
    assert mentor.id is not None and candidate.id is not None
    with pytest.raises(Gone):
        mentors.assign(bank, mentor_id=mentor.id, candidate_id=candidate.id, plan={}, user_id=None, actor="t")


def test_hr_pages_confirm_erasure_and_refuse_edits(
    client: TestClient, taken: Taken, session: Session, settings: Settings
) -> None:
    _sign_in(client, session, settings)
    candidate_id = taken.candidate.id
    url = f"/hr/candidates/{candidate_id}/erase"
    token = _csrf(client.get(url).text)
    done = client.post(url, data={"confirm": "erase", "csrf_token": token}, headers={"Accept-Language": "nl"})
    assert done.status_code == 200
    assert "Klaar: de persoonsgegevens van deze kandidaat zijn overal in Touchstone gewist." in done.text
    assert FIRST not in done.text

    edit = client.get(f"/hr/candidates/{candidate_id}/edit", headers={"Accept-Language": "en"})
    assert edit.status_code == 410
    assert "personal data was erased; the record is read-only" in edit.text
    posted = client.post(
        f"/hr/candidates/{candidate_id}/edit",
        data={"first_name": FIRST, "last_name": LAST, "email": EMAIL, "csrf_token": token},
        headers={"Accept-Language": "nl"},
    )
    assert posted.status_code == 410
    assert "alleen-lezen" in posted.text
    session.refresh(taken.candidate)
    assert taken.candidate.email is None and taken.candidate.first_name == privacy.ERASED
    # Erasing again from the page is harmless and says it is done.
    again = client.post(url, data={"confirm": "erase", "csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303


def test_stored_api_replies_are_gone_inside_the_erasure(client: TestClient, bank: Session) -> None:
    headers = _api(bank)
    body = {"first_name": FIRST, "last_name": LAST, "email": EMAIL}
    created = client.post("/api/v1/candidates", json=body, headers={**headers, "Idempotency-Key": "c-1"}).json()
    ordered = client.post(
        "/api/v1/assessments",
        json={"candidate_id": created["id"], "questionnaire_id": "self-test"},
        headers={**headers, "Idempotency-Key": "a-1"},
    ).json()
    submitted = client.post(
        f"/api/v1/assessments/{ordered['id']}/submit",
        json={"answers": example("self-test--guru")},
        headers={**headers, "Idempotency-Key": "s-1"},
    )
    assert submitted.status_code == 200
    assert len(bank.exec(select(IdempotencyRecord)).all()) == 3

    assert client.delete(f"/api/v1/candidates/{created['id']}", headers=headers).status_code == 204

    # No worker pass needed: the replies about the person are gone when the erasure commits.
    assert bank.exec(select(IdempotencyRecord)).all() == []
    replay = client.post("/api/v1/candidates", json=body, headers={**headers, "Idempotency-Key": "c-1"})
    assert "Idempotent-Replayed" not in replay.headers


def test_search_text_never_enters_the_audit_log(
    client: TestClient, taken: Taken, session: Session, settings: Settings
) -> None:
    _sign_in(client, session, settings)
    exported = client.get("/hr/candidates.csv", params={"q": EMAIL, "status": "completed"})
    assert exported.status_code == 200 and EMAIL in exported.text
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "candidates.exported")).one()
    assert entry.detail["searched"] is True and entry.detail["filters"]["status"] == "completed"
    privacy.erase_candidate(session, taken.candidate, actor="user:1")
    for row in session.exec(select(AuditEvent)).all():
        assert not _mentions_person(row.model_dump()), row


def test_greenhouse_error_reports_are_erased_and_exported(taken: Taken, bank: Session) -> None:
    candidate = taken.candidate
    interview = GreenhouseInterview(candidate_id=candidate.id, partner_test_id="self-test", callback_url="https://g/1")
    bank.add(interview)
    bank.flush()
    linked = GreenhouseResponseError(
        api_call="test_status", errors=[f"no score for {FIRST} {LAST}"], partner_interview_id=interview.id
    )
    by_email = GreenhouseResponseError(api_call="send_test", errors=[f"bad: {EMAIL}"], candidate_email=EMAIL)
    quoting = GreenhouseResponseError(api_call="send_test", errors=[f"duplicate of {EMAIL.upper()} in batch 7"])
    unrelated = GreenhouseResponseError(api_call="list_tests", errors=["partner_test_name is empty"])
    bank.add_all([linked, by_email, quoting, unrelated])
    bank.flush()

    exported = privacy.export_candidate(bank, candidate)
    reported = {r["id"] for r in exported["greenhouse_error_reports"]}
    assert reported == {linked.id, by_email.id}

    privacy.erase_candidate(bank, candidate, actor="user:1")
    for report in (linked, by_email, quoting):
        bank.refresh(report)
        assert not _mentions_person(report.model_dump()), report
    assert linked.errors == [privacy.ERASED] and by_email.candidate_email is None
    assert quoting.errors == [f"duplicate of {privacy.ERASED} in batch 7"]
    bank.refresh(unrelated)
    assert unrelated.errors == ["partner_test_name is empty"]


def test_export_holds_what_the_person_did_themselves(taken: Taken, bank: Session, settings: Settings) -> None:
    candidate = taken.candidate
    privacy.close_procedure(bank, candidate, actor="user:1", settings=settings)
    privacy.record_consent(bank, candidate, settings=settings)
    actions = {row["action"] for row in privacy.export_candidate(bank, candidate)["audit"]}
    assert "candidate.retention_consent" in actions


def test_sqlite_files_keep_no_copy_after_erasure(new_database: databases.Factory, settings: Settings) -> None:
    """Committed for real (no rolled-back test transaction): the database file and its WAL are searched."""
    url = new_database("sqlite")
    schema.upgrade(url)
    engine: Engine = create_db_engine(url)
    marker = "wal.lingers.zq@example.org"
    try:
        with Session(engine) as session:
            candidate = make_candidate(session, email=marker)
            mail = MailMessage(to_address=marker, subject="hi", body_text=f"Dear {marker}", kind="invitation")
            session.add(mail)
            session.commit()
            candidate_id = candidate.id
        with Session(engine) as session:
            found = session.get(Candidate, candidate_id)
            assert found is not None
            privacy.erase_candidate(session, found, actor="user:1")
            session.commit()
        path = engine.url.database
        assert path is not None
        for suffix in ("", "-wal"):
            try:
                with open(path + suffix, "rb") as handle:
                    content = handle.read()
            except FileNotFoundError:
                continue
            assert marker.encode() not in content, f"{path + suffix} still holds the erased e-mail"
        assert erasure.checkpoint(engine)
    finally:
        engine.dispose()
