"""The hiring pipeline per role: how many candidates are at each status, and how many were decided."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import Session, col

from app.candidates.models import CANDIDATE_STATUSES, Candidate
from app.roles.models import Role

# The columns, in the order a candidate passes them: every candidate status, so that they add up to the
# role's candidate list and each opens the list it counts (the list filters on the same stored status).
STAGES: tuple[str, ...] = CANDIDATE_STATUSES


@dataclass
class RolePipeline:
    """The counts of one role (role_id None: candidates not tied to a role)."""

    role_id: int | None
    title: str | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    decided: int = 0
    """Of the total, those whose procedure is closed (each is counted at their status as well)."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def per_role(session: Session) -> list[RolePipeline]:
    """Return the pipeline of every role with candidates, by title, from one grouped query.

    A candidate counts once, under their status (that of their latest assessment, "none" before the first),
    so the counts add up to the role's candidate list, erased candidates included as the list shows them.
    ``decided`` counts those among them whose procedure is closed (a final decision or closed by HR).
    """
    closed = func.count(col(Candidate.procedure_closed_at))
    # SQLAlchemy's select: SQLModel's is typed for at most four columns.
    rows = session.execute(
        select(col(Candidate.role_id), col(Role.title), col(Candidate.status), func.count(), closed)
        .select_from(Candidate)
        .outerjoin(Role, col(Role.id) == col(Candidate.role_id))
        .group_by(col(Candidate.role_id), col(Role.title), col(Candidate.status))
    ).all()
    pipelines: dict[int | None, RolePipeline] = {}
    for role_id, title, status, count, decided in rows:
        line = pipelines.setdefault(role_id, RolePipeline(role_id, title))
        line.counts[str(status)] += int(count)
        line.decided += int(decided)
    return sorted(pipelines.values(), key=lambda p: (p.title is None, (p.title or "").lower()))
