"""The mentoring plan: which discipline should mentor, on what, and who is free to do it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from app.scoring import model as m
from app.scoring.compiled import DIMENSION_CODES, DISCIPLINE_CODES, Compiled, Texts
from app.scoring.numbers import r1

_READY_TO_LEAD: Final = m.Verdict.READY_TO_LEAD.value
_NEEDS_MENTOR: Final = frozenset((m.Verdict.SUPERVISION_ONLY.value, m.Verdict.NOT_RECOMMENDED.value))


def plan(evidence: list[float | None], verdict: str, compiled: Compiled, texts: Texts) -> dict[str, Any]:
    """Choose the mentor's discipline from the weakest dimensions and list focus points per gap."""
    target = compiled.mentoring_target
    gaps = sorted([(score, i) for i, score in enumerate(evidence) if score is not None and score < target])[
        : compiled.max_gaps
    ]
    discipline = -1
    if gaps and verdict != _READY_TO_LEAD:
        need = [0.0, 0.0, 0.0]
        for score, i in gaps:
            for disc, weight in compiled.discipline_weights[i]:
                need[disc] += (target - score) * weight
        discipline = 0
        for d in (1, 2):
            if need[d] > need[discipline]:
                discipline = d
    focus = []
    for score, i in gaps:
        points = texts.focus_basic[i] if score < compiled.basic_below else texts.focus_advanced[i]
        focus.append(
            {
                "dimension": DIMENSION_CODES[i],
                "label": texts.dimension_labels[i],
                "score": r1(score),
                "points": list(points),
            }
        )
    code = DISCIPLINE_CODES[discipline] if discipline >= 0 else None
    label = texts.discipline_labels[code] if code is not None else None
    return {
        "discipline": code,
        "discipline_label": label,
        "required": verdict in _NEEDS_MENTOR,
        "why": texts.why[verdict].fill([label or ""]),
        "focus": focus,
        "mentor": None,
    }


@dataclass(frozen=True, slots=True)
class MentorCandidate:
    id: str
    name: str
    discipline: str
    years: int
    languages: tuple[str, ...]
    capacity: int
    active: int


def match_mentor(discipline: str | None, language: str, mentors: Sequence[MentorCandidate]) -> MentorCandidate | None:
    """Pick a mentor of the discipline with room left: same language first, then most free places, then seniority."""
    if discipline is None:
        return None
    free = [x for x in mentors if x.discipline == discipline and x.active < x.capacity]
    if not free:
        return None
    return min(free, key=lambda x: (language not in x.languages, -(x.capacity - x.active), -x.years, x.name, x.id))
