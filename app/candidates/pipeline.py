"""The hiring pipeline per role: how many candidates were invited, started, completed, expired and decided."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.assessments.models import AssessmentStatus
from app.candidates.models import Candidate
from app.roles.models import Role

# The stages shown, in the order a candidate passes them; each is a candidate status except "decided".
STAGES = ("invited", "started", "completed", "expired")


@dataclass
class RolePipeline:
    """The counts of one role (role_id None: candidates not tied to a role)."""

    role_id: int | None
    title: str | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    decided: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.decided


def per_role(session: Session) -> list[RolePipeline]:
    """Return the pipeline of every role with candidates, by title, from one grouped query.

    A candidate counts once: as decided when their procedure closed (a final decision or closed by HR),
    otherwise under the status of their latest assessment (a link not yet sent counts as invited).
    Erased candidates, and candidates never invited, are left out.
    """
    closed = col(Candidate.procedure_closed_at).is_not(None)
    # A link made but not (yet) sent by mail is an invitation too: HR may hand it over themselves.
    created = col(Candidate.status) == AssessmentStatus.CREATED
    stage = case((closed, "decided"), (created, "invited"), else_=col(Candidate.status))
    rows = session.exec(
        select(col(Candidate.role_id), col(Role.title), stage, func.count())
        .select_from(Candidate)
        .outerjoin(Role, col(Role.id) == col(Candidate.role_id))
        .where(col(Candidate.erased_at).is_(None))
        .where(closed | col(Candidate.status).in_([AssessmentStatus.CREATED, *(AssessmentStatus(s) for s in STAGES)]))
        .group_by(col(Candidate.role_id), col(Role.title), stage)
    ).all()
    pipelines: dict[int | None, RolePipeline] = {}
    for role_id, title, name, count in rows:
        line = pipelines.setdefault(role_id, RolePipeline(role_id, title))
        if name == "decided":
            line.decided += int(count)
        else:
            line.counts[str(name)] += int(count)
    return sorted(pipelines.values(), key=lambda p: (p.title is None, (p.title or "").lower()))
