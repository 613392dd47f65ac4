"""The mentor registry: register mentors, suggest one for a plan, assign and end assignments within capacity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import emails
from app.audit import service as audit
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.db import lock_row, utcnow
from app.db.lookup import get_or_404
from app.errors import Conflict, Invalid
from app.i18n import SUPPORTED
from app.inputs import some_of
from app.mentors.models import Mentor, MentorAssignment, MentorCreate
from app.scoring.mentoring import MentorCandidate, match_mentor


@dataclass(frozen=True)
class MentorRow:
    mentor: Mentor
    active_assignments: int

    @property
    def free(self) -> int:
        return max(0, self.mentor.capacity - self.active_assignments)


def _clean_languages(languages: list[str]) -> list[str]:
    lowered = (lang.lower() for lang in languages)
    return some_of(lowered, SUPPORTED, field="languages", none_given="name at least one language the mentor works in")


def create(session: Session, data: MentorCreate, *, actor: str) -> Mentor:
    """Register a mentor and record it in the audit log."""
    email = emails.checked(data.email)
    if not data.name.strip():
        raise Invalid("name: a name is required", field="name")
    mentor = Mentor.model_validate(
        data.model_copy(update={"email": email, "name": data.name.strip()}).model_dump()
        | {"languages": _clean_languages(data.languages)}
    )
    audit.saved(
        session,
        mentor,
        actor=actor,
        action="mentor.created",
        detail={"discipline": str(mentor.discipline), "capacity": mentor.capacity},
    )
    return mentor


def get(session: Session, mentor_id: int) -> Mentor:
    """Return one mentor or raise NotFound."""
    return get_or_404(session, Mentor, mentor_id, "mentor")


def set_active(session: Session, mentor: Mentor, active: bool, *, actor: str) -> None:
    """Take a mentor out of (or back into) the pool for new assignments; running ones continue."""
    mentor.active = active
    mentor.updated_at = utcnow()
    action = "mentor.activated" if active else "mentor.deactivated"
    audit.saved(session, mentor, actor=actor, action=action)


def _active_counts(session: Session) -> dict[int, int]:
    rows = session.exec(
        select(MentorAssignment.mentor_id, func.count())
        .where(col(MentorAssignment.ended_at).is_(None))
        .group_by(col(MentorAssignment.mentor_id))
    ).all()
    return {int(mentor_id): int(count) for mentor_id, count in rows}


def registry(session: Session) -> list[MentorRow]:
    """Return every mentor with the number of running assignments, active mentors first."""
    counts = _active_counts(session)
    mentors = session.exec(select(Mentor).order_by(col(Mentor.active).desc(), col(Mentor.name), col(Mentor.id)))
    return [MentorRow(m, counts.get(m.id or 0, 0)) for m in mentors]


def suggest(session: Session, discipline: str | None, language: str) -> MentorRow | None:
    """Return the best free active mentor for a plan's discipline, or None (see scoring.mentoring)."""
    rows = {str(row.mentor.id): row for row in registry(session) if row.mentor.active}
    pool = [
        MentorCandidate(
            id=key,
            name=row.mentor.name,
            discipline=str(row.mentor.discipline),
            years=row.mentor.years_experience,
            languages=tuple(row.mentor.languages),
            capacity=row.mentor.capacity,
            active=row.active_assignments,
        )
        for key, row in rows.items()
    ]
    chosen = match_mentor(discipline, language, pool)
    return rows[chosen.id] if chosen else None


def current_assignment(session: Session, candidate_id: int) -> tuple[MentorAssignment, Mentor] | None:
    """Return the candidate's running assignment and its mentor, if any."""
    row = session.exec(
        select(MentorAssignment, Mentor)
        .join(Mentor, col(Mentor.id) == col(MentorAssignment.mentor_id))
        .where(MentorAssignment.candidate_id == candidate_id, col(MentorAssignment.ended_at).is_(None))
        .order_by(col(MentorAssignment.started_at).desc())
    ).first()
    return (row[0], row[1]) if row else None


def running_assignments(session: Session) -> list[tuple[MentorAssignment, Mentor, Candidate]]:
    """Return every running assignment with its mentor and candidate, oldest first."""
    rows = session.exec(
        select(MentorAssignment, Mentor, Candidate)
        .join(Mentor, col(Mentor.id) == col(MentorAssignment.mentor_id))
        .join(Candidate, col(Candidate.id) == col(MentorAssignment.candidate_id))
        .where(col(MentorAssignment.ended_at).is_(None))
        .order_by(col(MentorAssignment.started_at), col(MentorAssignment.id))
    )
    return [(a, m, c) for a, m, c in rows]


def assign(
    session: Session,
    *,
    mentor_id: int,
    candidate_id: int,
    plan: Mapping[str, Any],
    user_id: int | None,
    actor: str,
) -> MentorAssignment:
    """Assign a candidate's mentoring plan to a mentor; refuse (409) an inactive or full mentor."""
    candidate = session.get(Candidate, candidate_id)
    if candidate is not None:
        candidates.ensure_not_erased(candidate)
    # Lock the mentor row before the checks, so two assignments at once cannot both take the last place
    # (on SQLite the checks' reads would otherwise run before either transaction writes).
    lock_row(session, Mentor, mentor_id)
    mentor = get(session, mentor_id)
    if not mentor.active:
        raise Conflict(f"mentor {mentor.name} is not active and takes no new candidates", reason="inactive")
    running = current_assignment(session, candidate_id)
    if running is not None:
        raise Conflict(
            f"candidate {candidate_id} is already mentored by {running[1].name}; end that assignment first",
            reason="already_assigned",
        )
    active = _active_counts(session).get(mentor_id, 0)
    if active >= mentor.capacity:
        raise Conflict(
            f"mentor {mentor.name} is full: {active} of {mentor.capacity} places taken; "
            "end an assignment or choose another mentor",
            reason="capacity",
        )
    assignment = MentorAssignment(mentor_id=mentor_id, candidate_id=candidate_id, plan=dict(plan), assigned_by=user_id)
    session.add(assignment)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="mentor.assigned",
        object_type="candidate",
        object_id=candidate_id,
        detail={"mentor_id": mentor_id, "assignment_id": assignment.id, "discipline": plan.get("discipline")},
    )
    return assignment


def end_assignment(session: Session, assignment_id: int, *, user_id: int | None, actor: str) -> MentorAssignment:
    """End a running assignment, which frees a place with the mentor; ending twice changes nothing."""
    assignment = get_or_404(session, MentorAssignment, assignment_id, "mentor assignment")
    if assignment.ended_at is not None:
        return assignment
    assignment.ended_at = utcnow()
    assignment.ended_by = user_id
    session.add(assignment)
    audit.record(
        session,
        actor=actor,
        action="mentor.assignment_ended",
        object_type="candidate",
        object_id=assignment.candidate_id,
        detail={"mentor_id": assignment.mentor_id, "assignment_id": assignment.id},
    )
    session.flush()
    return assignment
