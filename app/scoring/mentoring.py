"""The mentoring plan: which discipline should mentor, on what, and who is free to do it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.scoring import model as m
from app.scoring.evidence import r1
from app.scoring.policy import Policy

_DISCIPLINE_ORDER = (m.Discipline.MARKETING, m.Discipline.COMMUNICATION, m.Discipline.PR)


def plan(evidence: Mapping[m.Dimension, float | None], verdict: m.Verdict, policy: Policy, lang: str) -> dict[str, Any]:
    """Choose the mentor's discipline from the weakest dimensions and list focus points per gap."""
    mp = policy.mentoring
    gaps = sorted(
        ((score, dim) for dim, score in evidence.items() if score is not None and score < mp.target),
        key=lambda g: (g[0], m.DIMENSIONS.index(g[1])),
    )[: mp.max_gaps]
    discipline: m.Discipline | None = None
    if gaps and verdict is not m.Verdict.READY_TO_LEAD:
        need = {d: 0.0 for d in _DISCIPLINE_ORDER}
        for score, dim in gaps:
            for disc, weight in mp.discipline_weights[dim].items():
                need[disc] += (mp.target - score) * weight
        discipline = max(_DISCIPLINE_ORDER, key=lambda d: (need[d], -_DISCIPLINE_ORDER.index(d)))
    focus = []
    for score, dim in gaps:
        points = mp.focus[dim].basic if score < mp.basic_below else mp.focus[dim].advanced
        focus.append(
            {
                "dimension": dim.value,
                "label": policy.dimension_labels[dim].get(lang),
                "score": r1(score),
                "points": [p.get(lang) for p in points],
            }
        )
    label = mp.discipline_labels[discipline].get(lang) if discipline else None
    return {
        "discipline": discipline.value if discipline else None,
        "discipline_label": label,
        "required": verdict in (m.Verdict.SUPERVISION_ONLY, m.Verdict.NOT_RECOMMENDED),
        "why": mp.why[verdict].get(lang).format(discipline=label or ""),
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
