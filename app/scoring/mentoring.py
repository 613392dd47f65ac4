"""The mentoring plan: which discipline should mentor, on what, and who is free to do it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from app.scoring import model as m
from app.scoring.compiled import DISCIPLINES, Compiled, fill, number
from app.scoring.verdict import Decision


def plan(
    evidence: Mapping[m.Dimension, float | None], verdict: str, held: Decision, compiled: Compiled, lang: str
) -> dict[str, Any]:
    """Choose the mentor's discipline from the weakest dimensions and list focus points per gap.

    Gaps are the dimensions below ``target``; each weighs with its squared distance to the target, spread
    over the disciplines by ``discipline_weights``. When the verdict asks for a mentor but no dimension is
    below the target, a dimension nobody observed names the discipline (it is what kept a better verdict
    away), or else the weakest dimension (a capable person whose claims need checking), so the plan never
    leaves it blank.
    """
    policy = compiled.policy.mentoring
    code = m.Verdict(verdict)
    shortfalls = held.shortfalls
    required = policy.required[code]
    # Weakest first; a stable sort keeps equal scores in dimension order.
    measured = sorted(((score, dim) for dim, score in evidence.items() if score is not None), key=itemgetter(0))
    gaps = [(score, dim) for score, dim in measured if score < policy.target][: policy.max_gaps]
    unobserved = [(policy.target, dim) for dim, score in evidence.items() if score is None]
    basis = gaps or ((unobserved[:1] or measured[:1]) if required else [])
    discipline: m.Discipline | None = None
    if basis and code not in (m.Verdict.READY_TO_LEAD, m.Verdict.INSUFFICIENT_EVIDENCE):
        need = dict.fromkeys(DISCIPLINES, 0.0)
        for score, dim in basis:
            for disc, weight in policy.discipline_weights[dim].items():
                # Squared, so the weakest dimension leads the choice rather than the sum of small gaps.
                need[disc] += (policy.target - score + 1.0) ** 2 * weight
        discipline = max(DISCIPLINES, key=lambda d: (need[d], -DISCIPLINES.index(d)))
    labels = compiled.dimension_labels[lang]
    focus: list[dict[str, Any]] = [
        {
            "dimension": dim,
            "label": labels[dim],
            "score": score,
            "points": [
                p.get(lang)
                for p in (policy.focus[dim].basic if score < policy.basic_below else policy.focus[dim].advanced)
            ],
        }
        for score, dim in gaps
    ]
    named = (
        [f"{f['label']} ({number(f['score'], lang)})" for f in focus]
        or shortfalls
        or [f"{labels[dim]} ({number(score, lang)})" for score, dim in measured[:1]]
    )
    label = policy.discipline_labels[discipline].get(lang) if discipline else None
    if label is None and code not in (m.Verdict.READY_TO_LEAD, m.Verdict.INSUFFICIENT_EVIDENCE):
        why = policy.why_no_discipline.get(lang)
    elif code == m.Verdict.READY_WITH_MENTOR and not focus and held.held_back:
        # Nothing to learn held the better verdict back (claims to check, checks not done): say that, not
        # that a mentor would help them grow on a dimension that is already strong.
        why = fill(policy.why_no_gaps.get(lang), discipline=label or "", gaps="; ".join(held.held_back))
    else:
        why = fill(policy.why[code].get(lang), discipline=label or "", gaps="; ".join(named))
    return {
        "discipline": discipline,
        "discipline_label": label,
        "required": required,
        "why": why,
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
