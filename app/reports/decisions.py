"""HR's decision about a candidate: HR always decides; going against the recommendation is an override."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.candidates import retention
from app.candidates import service as candidates
from app.candidates.models import Candidate
from app.config import Settings
from app.db import utcnow
from app.errors import Invalid
from app.reports.combined import Combined
from app.reports.models import Decision, DecisionKind
from app.scoring.model import Verdict

REASON_MAX = 2000
# Decisions that end the procedure, which starts the candidate's retention period.
FINAL = frozenset({DecisionKind.HIRE, DecisionKind.HIRE_WITH_MENTOR, DecisionKind.REJECT})

# Which decisions follow each verdict. "Hold" postpones and never contradicts. A candidate who may
# only work under supervision can be hired with a mentor (the supervision) or turned down.
FOLLOWS: dict[str, frozenset[DecisionKind]] = {
    Verdict.READY_TO_LEAD: frozenset({DecisionKind.HIRE, DecisionKind.HIRE_WITH_MENTOR, DecisionKind.HOLD}),
    Verdict.READY_WITH_MENTOR: frozenset({DecisionKind.HIRE_WITH_MENTOR, DecisionKind.HOLD}),
    Verdict.SUPERVISION_ONLY: frozenset({DecisionKind.HIRE_WITH_MENTOR, DecisionKind.REJECT, DecisionKind.HOLD}),
    Verdict.NOT_RECOMMENDED: frozenset({DecisionKind.REJECT, DecisionKind.HOLD}),
    # Too little was observed to recommend anything, so no decision goes against a recommendation.
    Verdict.INSUFFICIENT_EVIDENCE: frozenset(DecisionKind),
}


def is_override(recommended: str | None, decision: DecisionKind) -> bool:
    """True when the decision goes against the recommended verdict (never without a recommendation)."""
    if recommended is None:
        return False
    return decision not in FOLLOWS.get(recommended, frozenset(DecisionKind))


def history(session: Session, candidate_id: int) -> list[Decision]:
    """Return every decision about a candidate, the current (latest) one first."""
    return list(
        session.exec(
            select(Decision)
            .where(Decision.candidate_id == candidate_id)
            .order_by(col(Decision.created_at).desc(), col(Decision.id).desc())
        )
    )


def _snapshot(combined: Combined) -> dict[str, object]:
    result = combined.result or {}
    return {
        "verdict": (result.get("verdict") or {}).get("code"),
        "evidence_overall": (result.get("evidence") or {}).get("overall"),
        "claims_index": (result.get("claims") or {}).get("index"),
        "calibration": (result.get("calibration") or {}).get("code"),
        "mentor_discipline": (result.get("mentoring") or {}).get("discipline"),
    }


def record(
    session: Session,
    *,
    candidate: Candidate,
    combined: Combined,
    decision: DecisionKind,
    note: str | None,
    reason: str | None,
    user_id: int | None,
    actor: str,
    settings: Settings | None = None,
    request_id: str | None = None,
) -> Decision:
    """Record a decision against the current recommendation; an override needs a reason (422 without)."""
    candidates.ensure_not_erased(candidate)
    note = (note or "").strip() or None
    reason = (reason or "").strip() or None
    for name, value in (("note", note), ("reason", reason)):
        if value is not None and len(value) > REASON_MAX:
            raise Invalid(f"{name}: at most {REASON_MAX} characters, got {len(value)}", field=name)
    recommended = combined.verdict
    override = is_override(recommended, decision)
    if override and reason is None:
        raise Invalid(
            f"reason: deciding '{decision}' goes against the recommended verdict '{recommended}'; "
            "give a reason for the override",
            field="reason",
        )
    assert candidate.id is not None
    entry = Decision(
        candidate_id=candidate.id,
        decision=decision,
        recommended_verdict=recommended,
        is_override=override,
        reason=reason,
        note=note,
        self_test_id=combined.self_test.id if combined.self_test else None,
        hr_assessment_id=combined.hr_assessment.id if combined.hr_assessment else None,
        role_assessment_id=combined.role_assessment.id if combined.role_assessment else None,
        snapshot=_snapshot(combined),
        decided_by=user_id,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        candidate,
        actor=actor,
        action="decision.override" if override else "decision.recorded",
        # Ids and codes only: the reason and note are free text that erasure must be able to remove.
        detail={
            "decision_id": entry.id,
            "recommended": recommended,
            "decided": str(decision),
            "is_override": override,
            "decided_by": user_id,
        },
        request_id=request_id,
    )
    if decision in FINAL:
        retention.close_procedure(session, candidate, actor=actor, settings=settings)
    else:
        # "Hold" is activity: the retention clock of the open procedure starts again from now.
        candidate.updated_at = utcnow()
        retention.schedule(candidate, settings)
        session.add(candidate)
        session.flush()
    return entry


def latest_for(session: Session, candidate_ids: Iterable[int]) -> dict[int, Decision]:
    """Return each candidate's current (latest) decision, for a page of a list: one query, not one per row."""
    wanted = list(set(candidate_ids))
    latest: dict[int, Decision] = {}
    if not wanted:
        return latest
    rows = session.exec(
        select(Decision)
        .where(col(Decision.candidate_id).in_(wanted))
        .order_by(col(Decision.created_at).desc(), col(Decision.id).desc())
    )
    for decision in rows:
        latest.setdefault(decision.candidate_id, decision)
    return latest
