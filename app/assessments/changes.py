"""Tell the domains that summarise assessments (the candidates list, the combined result's events) that a
candidate's assessments changed, or that a scored result did.

The candidates and referees packages depend on assessments, not the other way round: they subscribe here
when they are imported, and the assessment lifecycle calls ``candidate_changed`` after each change and
``result_changed`` after each scoring (a submission or a rubric re-score).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.assessments.models import Assessment

Listener = Callable[[Session, int | None], None]
_listeners: list[Listener] = []
ResultListener = Callable[[Session, Assessment, str], None]
_result_listeners: list[ResultListener] = []

COMPLETED = "assessment_completed"
"""Why a result changed: an assessment (self-test, HR assessment or a referee's statement) was submitted."""
RESCORED = "rubric_rescored"
"""Why a result changed: HR rated a free-text answer on its rubric and the assessment was re-scored."""


def subscribe(listener: Listener) -> None:
    """Call ``listener(session, candidate_id)`` after every change to a candidate's assessments."""
    if listener not in _listeners:
        _listeners.append(listener)


def candidate_changed(session: Session, candidate_id: int | None) -> None:
    """Tell every listener that this candidate's assessments changed (in this session's transaction)."""
    for listener in _listeners:
        listener(session, candidate_id)


def subscribe_results(listener: ResultListener) -> None:
    """Call ``listener(session, assessment, reason)`` after every scoring of an assessment."""
    if listener not in _result_listeners:
        _result_listeners.append(listener)


def result_changed(session: Session, assessment: Assessment, reason: str) -> None:
    """Tell every result listener that this assessment was (re-)scored, in this session's transaction."""
    for listener in _result_listeners:
        listener(session, assessment, reason)
