"""The automatic purge: erase candidates past their retention date, and old anonymous free text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.assessments.models import Answer, Assessment, AssessmentMode
from app.audit.service import SYSTEM
from app.candidates.models import Candidate
from app.candidates.retention import schedule
from app.config import Settings, get_settings
from app.db import utcnow
from app.privacy.erasure import erase_candidate, free_text_items, remove_free_text


@dataclass(frozen=True)
class PurgeReport:
    candidates_erased: int
    anonymous_texts_removed: int

    def __str__(self) -> str:
        return (
            f"{self.candidates_erased} candidate(s) past retention erased, "
            f"{self.anonymous_texts_removed} free-text answer(s) of anonymous self-tests removed"
        )


def purge(session: Session, *, now: dt.datetime | None = None, settings: Settings | None = None) -> PurgeReport:
    """Erase every candidate past retention and remove old anonymous free text; scores stay for norms."""
    now = now or utcnow()
    settings = settings or get_settings()
    _start_missing_clocks(session, settings)
    due = session.exec(
        select(Candidate).where(
            col(Candidate.erased_at).is_(None),
            col(Candidate.retention_until).is_not(None),
            col(Candidate.retention_until) <= now,
        )
    ).all()
    for candidate in due:
        erase_candidate(session, candidate, actor=SYSTEM, reason="retention")
    return PurgeReport(len(due), _purge_anonymous(session, now - dt.timedelta(days=settings.retention_days)))


def _start_missing_clocks(session: Session, settings: Settings) -> None:
    # Candidates stored before every candidate had a retention clock get theirs now (once).
    unscheduled = session.exec(
        select(Candidate).where(col(Candidate.erased_at).is_(None), col(Candidate.retention_until).is_(None))
    ).all()
    for candidate in unscheduled:
        schedule(candidate, settings)
        session.add(candidate)
    session.flush()


def _purge_anonymous(session: Session, before: dt.datetime) -> int:
    # Only assessments that still hold an answer are visited, so a daily run stays cheap.
    stale = session.exec(
        select(Assessment)
        .where(
            Assessment.mode == AssessmentMode.ANONYMOUS.value,
            col(Assessment.updated_at) < before,
            col(Assessment.id).in_(select(Answer.assessment_id).distinct()),
        )
        .order_by(col(Assessment.updated_at))
    ).all()
    removed = 0
    for assessment in stale:
        if free_text_items(session, assessment):
            removed += remove_free_text(session, assessment)
    return removed
