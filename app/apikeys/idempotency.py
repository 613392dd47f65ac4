"""Stored Idempotency-Key replies (the HTTP handling is app.api.idempotency): what erasure removes."""

from __future__ import annotations

from sqlalchemy import String, cast, delete, or_
from sqlmodel import Session, col

from app.apikeys.models import IdempotencyRecord


def forget_candidate(session: Session, candidate_id: int, *, assessment_ids: list[str] | None = None) -> int:
    """Delete the stored responses about an erased candidate (names, e-mail, results); return how many.

    Replies are found by the candidate they were recorded for and, for replies stored before that was
    recorded for submissions, by the ids of the candidate's assessments in their body.
    """
    about = [col(IdempotencyRecord.candidate_id) == candidate_id]
    body = cast(IdempotencyRecord.response_body, String)
    about += [body.contains(assessment_id, autoescape=True) for assessment_id in assessment_ids or ()]
    removed = session.execute(delete(IdempotencyRecord).where(or_(*about)))
    session.flush()
    return int(removed.rowcount or 0)  # type: ignore[attr-defined]
