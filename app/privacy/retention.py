"""How long a candidate's personal data is kept: from the close of the procedure, longer with consent."""

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


def retention_until(candidate: Candidate, settings: Settings | None = None) -> dt.datetime | None:
    """Return when the candidate's personal data is due for erasure; None while the procedure is open."""
    closed = candidate.procedure_closed_at
    if closed is None:
        return None
    settings = _settings(settings)
    default = closed + dt.timedelta(days=settings.retention_days)
    consent = candidate.retention_consent_until
    if consent is None or consent <= default:
        return default
    return min(consent, closed + dt.timedelta(days=settings.retention_max_days))


def _refresh(session: Session, candidate: Candidate, settings: Settings | None) -> None:
    candidate.retention_until = retention_until(candidate, settings)
    candidate.updated_at = utcnow()
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
    audit.record(
        session, actor=actor, action="candidate.procedure_closed", object_type="candidate", object_id=candidate.id
    )


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
    audit.record(
        session,
        actor=f"candidate:{candidate.id}",
        action="candidate.retention_consent",
        object_type="candidate",
        object_id=candidate.id,
        detail={"until": until.isoformat()},
    )
    return until


def withdraw_consent(session: Session, candidate: Candidate, *, settings: Settings | None = None) -> None:
    """Withdraw the consent to longer retention: the default period applies again."""
    if candidate.retention_consent_until is None:
        return
    candidate.retention_consent_until = None
    _refresh(session, candidate, settings)
    audit.record(
        session,
        actor=f"candidate:{candidate.id}",
        action="candidate.retention_consent_withdrawn",
        object_type="candidate",
        object_id=candidate.id,
    )
