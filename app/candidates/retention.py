"""How long a candidate's personal data is kept: every candidate has a retention clock.

After a final decision the period runs from the close of the procedure (4 weeks by default). Without
one (on hold, invited but never started, never decided) it runs from the candidate's last activity: a
procedure nobody touches for ``retention_inactive_days`` counts as closed. Consent extends either, up
to a year. Each change to a candidate, their assessments or decisions resets the stored date.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from app.audit import service as audit
from app.candidates.models import Candidate
from app.config import Settings, get_settings
from app.db import utcnow
from app.errors import Invalid


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def last_activity(candidate: Candidate) -> dt.datetime:
    """Return when anything last happened to the candidate (created, changed, answered, decided)."""
    moments = [m for m in (candidate.created_at, candidate.updated_at, candidate.last_activity_at) if m is not None]
    return max(moments)


def retention_until(candidate: Candidate, settings: Settings | None = None) -> dt.datetime | None:
    """Return when the candidate's personal data is due for erasure (None once it was erased)."""
    if candidate.erased_at is not None:
        return None
    settings = _settings(settings)
    closed = candidate.procedure_closed_at
    start, days = (
        (closed, settings.retention_days) if closed else (last_activity(candidate), settings.retention_inactive_days)
    )
    default = start + dt.timedelta(days=days)
    consent = candidate.retention_consent_until
    if consent is None or consent <= default:
        return default
    return min(consent, start + dt.timedelta(days=settings.retention_max_days))


def schedule(candidate: Candidate, settings: Settings | None = None) -> None:
    """Set the candidate's stored erasure date from their state now (the caller adds and flushes)."""
    candidate.retention_until = retention_until(candidate, settings)


def _refresh(session: Session, candidate: Candidate, settings: Settings | None) -> None:
    candidate.updated_at = utcnow()
    schedule(candidate, settings)
    session.add(candidate)
    session.flush()


def close_procedure(
    session: Session,
    candidate: Candidate,
    *,
    actor: str,
    at: dt.datetime | None = None,
    settings: Settings | None = None,
) -> None:
    """Mark the candidate's procedure closed (the first close counts) and start the retention period."""
    if candidate.procedure_closed_at is not None or candidate.erased_at is not None:
        return
    candidate.procedure_closed_at = at or utcnow()
    _refresh(session, candidate, settings)
    audit.record(session, candidate, actor=actor, action="candidate.procedure_closed")


def consent_limit(candidate: Candidate, settings: Settings | None = None) -> dt.datetime:
    """Return the latest date a candidate can consent to: a year (the maximum) after the procedure closes."""
    start = candidate.procedure_closed_at or utcnow()
    return start + dt.timedelta(days=_settings(settings).retention_max_days)


def record_consent(
    session: Session,
    candidate: Candidate,
    *,
    until: dt.datetime | None = None,
    settings: Settings | None = None,
) -> dt.datetime:
    """Record the candidate's consent to keep their data longer (default and maximum: one year)."""
    limit = consent_limit(candidate, settings)
    until = until or limit
    if until > limit:
        raise Invalid(
            f"retention consent until {until.isoformat()} is more than the maximum after the procedure closes; "
            f"the latest possible date is {limit.isoformat()}",
            field="retention_consent_until",
        )
    if until <= utcnow():
        raise Invalid(f"retention consent until {until.isoformat()} is in the past", field="retention_consent_until")
    if candidate.erased_at is not None:
        raise Invalid(f"candidate {candidate.id} was erased", field="retention_consent_until")
    candidate.retention_consent_until = until
    _refresh(session, candidate, settings)
    _by_candidate(session, candidate, "candidate.retention_consent", {"until": until.isoformat()})
    return until


def withdraw_consent(session: Session, candidate: Candidate, *, settings: Settings | None = None) -> None:
    """Withdraw the consent to longer retention: the default period applies again."""
    if candidate.retention_consent_until is None:
        return
    candidate.retention_consent_until = None
    _refresh(session, candidate, settings)
    _by_candidate(session, candidate, "candidate.retention_consent_withdrawn")


def _by_candidate(session: Session, candidate: Candidate, action: str, detail: dict[str, str] | None = None) -> None:
    """Record a change the candidate made themselves (their consent) in the audit log."""
    actor = f"candidate:{candidate.id}"
    audit.record(session, candidate, actor=actor, action=action, detail=detail)
