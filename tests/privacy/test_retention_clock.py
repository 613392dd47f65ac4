"""Every candidate has a retention clock: without a final decision it runs from the last activity."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import sessions
from app.accounts.models import User, UserRole
from app.apikeys import service as apikeys
from app.candidates import service as candidates
from app.candidates.models import Candidate, CandidateCreate
from app.config import Settings
from app.db import utcnow
from app.integrations.greenhouse import service as greenhouse
from app.privacy import service as privacy
from app.reports import decisions
from app.reports import service as reports
from app.reports.models import DecisionKind
from tests.privacy.conftest import Taken, make_candidate


def _inactive(settings: Settings) -> dt.timedelta:
    return dt.timedelta(days=settings.retention_inactive_days)


def test_a_new_candidate_gets_a_clock_from_the_start(session: Session, settings: Settings) -> None:
    before = utcnow()
    candidate = candidates.create(session, CandidateCreate(first_name="Ada", last_name="Open"), actor="test")
    assert candidate.retention_until is not None
    assert before + _inactive(settings) <= candidate.retention_until <= utcnow() + _inactive(settings)


def test_hold_restarts_the_clock_and_the_purge_erases_when_it_runs_out(
    taken: Taken, bank: Session, settings: Settings
) -> None:
    candidate = taken.candidate
    combined = reports.combined_result(bank, candidate, "en")
    decisions.record(
        bank, candidate=candidate, combined=combined, decision=DecisionKind.HOLD, note=None, reason=None,
        user_id=None, actor="user:1", settings=settings,
    )  # fmt: skip
    assert candidate.procedure_closed_at is None
    assert candidate.retention_until is not None
    held_until = candidate.retention_until
    assert held_until >= utcnow() + _inactive(settings) - dt.timedelta(minutes=1)

    assert privacy.purge(bank, now=held_until - dt.timedelta(days=1), settings=settings).candidates_erased == 0
    assert candidate.erased_at is None
    assert privacy.purge(bank, now=held_until + dt.timedelta(seconds=1), settings=settings).candidates_erased == 1
    assert candidate.erased_at is not None and candidate.email is None


def test_greenhouse_candidate_who_never_started_is_erased_in_time(bank: Session, settings: Settings) -> None:
    key, secret = apikeys.create_key(bank, name="gh", scopes=["greenhouse"], actor="test")
    interview = greenhouse.send_test(
        bank,
        settings.model_copy(update={"webhook_allow_private": True}),
        key,
        credential=secret,
        partner_test_id="self-test",
        applicant=greenhouse.Applicant("Never", "Started", None, "never.started@example.org"),
        callback_url="https://greenhouse.example/callback/7",
        profile_url=None,
        sent_by=None,
    )
    candidate = bank.get(Candidate, interview.candidate_id)
    assert candidate is not None and candidate.retention_until is not None
    later = candidate.retention_until + dt.timedelta(seconds=1)
    assert privacy.purge(bank, now=later, settings=settings).candidates_erased == 1
    assert candidate.email is None


def test_purge_starts_the_clock_of_candidates_stored_without_one(bank: Session, settings: Settings) -> None:
    legacy = make_candidate(bank, email="legacy@example.org")
    legacy.retention_until = None
    bank.add(legacy)
    bank.flush()
    privacy.purge(bank, settings=settings)
    assert legacy.retention_until == privacy.retention_until(legacy, settings)
    assert legacy.retention_until is not None and legacy.erased_at is None


def test_hr_sees_when_each_candidate_will_be_erased(client: TestClient, session: Session, settings: Settings) -> None:
    user = User(email="viewer@hr.example.org", password_hash="x", role=UserRole.VIEWER)
    session.add(user)
    session.flush()
    client.cookies.set(sessions.COOKIE, sessions.start(session, user, settings))
    candidate = candidates.create(session, CandidateCreate(first_name="Clock", last_name="Shown"), actor="test")
    assert candidate.retention_until is not None
    # Dates in the reader's language (Babel's long format): 29 november 2026, November 29, 2026.
    listing = client.get("/hr/candidates", headers={"Accept-Language": "nl"})
    day = format_date(candidate.retention_until, format="long", locale="nl")
    assert "Persoonsgegevens gewist op" in listing.text and day in listing.text
    detail = client.get(f"/hr/candidates/{candidate.id}", headers={"Accept-Language": "en"})
    day = format_date(candidate.retention_until, format="long", locale="en")
    assert f"Personal data is kept until {day} and then erased automatically." in detail.text
