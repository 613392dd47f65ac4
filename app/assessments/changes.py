"""Tell the domains that summarise assessments (the candidates list) that a candidate's assessments changed.

The candidates package depends on assessments, not the other way round: it subscribes its refresh here
when it is imported, and the assessment lifecycle calls ``candidate_changed`` after each change.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

Listener = Callable[[Session, int | None], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Call ``listener(session, candidate_id)`` after every change to a candidate's assessments."""
    if listener not in _listeners:
        _listeners.append(listener)


def candidate_changed(session: Session, candidate_id: int | None) -> None:
    """Tell every listener that this candidate's assessments changed (in this session's transaction)."""
    for listener in _listeners:
        listener(session, candidate_id)
