"""How the answers were given: the option order a person saw, the time per section and pasted free text.

The candidate pages record it as the person answers; scoring reads it back as an
``app.scoring.integrity.Conduct``. It is shown to HR (the result's ``integrity`` block), never to the
candidate, and never stops an answer from being saved.

Time per section: each showing of a section page is a visit that starts when the server rendered the page
(a signed time in the form, so the browser's clock plays no part) and lasts until the last save made from
that page. A section's time is the sum of its visits; a save from an older visit (another tab) adds nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app.assessments.models import Assessment
from app.scoring.integrity import Conduct

OPTION_ORDERS = 8
"""How many option orders there are: each seed is one of them, so the pages keep one rendering per order."""


def new_option_seed() -> int:
    """Return the option seed of a person starting on the candidate pages: one of ``OPTION_ORDERS``, at random."""
    return secrets.randbelow(OPTION_ORDERS)


def shown_seed(seed: int | None) -> int | None:
    """Return the seed the options are shown (and scored) with: one of the ``OPTION_ORDERS`` orders.

    New seeds are already one of them; reducing every stored seed here keeps the pages and the integrity
    check on the same order whatever was stored.
    """
    return None if seed is None else seed % OPTION_ORDERS


@dataclass(frozen=True)
class Visit:
    """One save from a section page: when the server showed the page and when this save arrived (epoch seconds)."""

    section: str
    shown: float
    saved: float


def add_visit(times: dict[str, Any], visit: Visit) -> dict[str, Any]:
    """Return the section times with one save counted (pure; ``times`` is left as it is).

    Per section: ``total`` seconds of earlier visits, ``shown`` (the start of the latest visit) and
    ``spent`` (its time up to its last save so far).
    """
    spent = max(0.0, visit.saved - visit.shown)
    entry = times.get(visit.section) or {"total": 0.0, "shown": visit.shown, "spent": 0.0}
    if visit.shown == entry["shown"]:
        entry = {**entry, "spent": max(entry["spent"], spent)}
    elif visit.shown > entry["shown"]:
        entry = {"total": entry["total"] + entry["spent"], "shown": visit.shown, "spent": spent}
    else:
        return times  # a save from a page shown before the latest visit: its time is already inside
    return {**times, visit.section: entry}


def seconds_of(times: dict[str, Any] | None) -> dict[str, float]:
    """Return the seconds spent per section from the stored section times."""
    return {section: round(entry["total"] + entry["spent"], 1) for section, entry in (times or {}).items()}


def of(assessment: Assessment) -> Conduct:
    """Return what scoring needs to know about how an assessment's answers were given."""
    return Conduct(
        seconds=seconds_of(assessment.section_times),
        pasted=frozenset(assessment.pasted_items or ()),
        option_seed=shown_seed(assessment.option_seed),
    )


def record(
    session: Session,
    assessment: Assessment,
    *,
    visit: Visit | None,
    pasted: Collection[str],
    cleared: Collection[str],
) -> None:
    """Count a save's time and pasted answers (``cleared``: answers removed, so no longer pasted).

    Call it after the save was counted (app.assessments.service._fence): that write holds the row, so
    this read-then-write sees every earlier save and no later one slips in between.
    """
    if visit is None and not pasted and not cleared:
        return
    times, flagged = session.execute(
        select(Assessment.section_times, Assessment.pasted_items).where(col(Assessment.id) == assessment.id)
    ).one()
    new_times = add_visit(times or {}, visit) if visit is not None else times
    new_flagged = sorted((set(flagged or ()) | set(pasted)) - set(cleared)) or None
    if new_times == times and new_flagged == (flagged or None):
        return
    session.execute(
        update(Assessment)
        .where(col(Assessment.id) == assessment.id)
        .values(section_times=new_times, pasted_items=new_flagged)
    )
    # The session's copy of the row: what the page and a submit in this request read next.
    set_committed_value(assessment, "section_times", new_times)
    set_committed_value(assessment, "pasted_items", new_flagged)
