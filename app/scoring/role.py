"""The role assessment: risks in how a position is designed, and advice on shaping it and whom to hire."""

from __future__ import annotations

from typing import Any

from app.scoring import model as m
from app.scoring.collect import Collected

_SEVERITY = {"high": 0, "medium": 1, "low": 2}


def assess(part: Collected) -> dict[str, Any]:
    """Group the risks the answers revealed, order them by severity, and pick the hiring advice.

    The advice rules are checked in order; the one that calls the role well designed needs no risk and
    a design score of at least its ``min_score``, so a role with unanswered or middling answers is never
    called well designed.
    """
    policy = part.compiled.policy.role
    lang = part.lang
    found: dict[m.Risk, list[dict[str, str]]] = {}
    for hit in part.risks:
        found.setdefault(m.Risk(hit.code), []).append({"item": hit.item_id, "detail": hit.detail})
    order = list(m.Risk)
    ordered = sorted(found, key=lambda r: (_SEVERITY[policy.risks[r].severity], order.index(r)))
    score = round(100 * part.role_earned / part.role_possible, 1) if part.role_possible else None
    high = sum(1 for r in ordered if policy.risks[r].severity == "high")
    hire = next(
        h
        for h in policy.hire
        if len(ordered) >= h.min_risks
        and high >= h.min_high_risks
        and (h.max_risks is None or len(ordered) <= h.max_risks)
        and (not h.any_of or set(h.any_of) & set(ordered))
        and (h.min_score is None or (score is not None and score >= h.min_score))
    )
    return {
        "score": score,
        "risks": [
            {
                "code": r.value,
                "severity": policy.risks[r].severity,
                "label": policy.risks[r].label.get(lang),
                "reason": policy.risks[r].reason.get(lang),
                "answers": found[r],
            }
            for r in ordered
        ],
        "advice": [policy.risks[r].advice.get(lang) for r in ordered],
        "hire": hire.text.get(lang),
    }
