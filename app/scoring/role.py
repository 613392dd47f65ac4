"""The role assessment: risks in how a position is designed, and advice on shaping it and whom to hire."""

from __future__ import annotations

from typing import Any

from app.scoring import model as m
from app.scoring.collect import Collected
from app.scoring.evidence import r1

_SEVERITY = {"high": 0, "medium": 1, "low": 2}


def assess(part: Collected) -> dict[str, Any]:
    """Group the risks the answers fired, order them by severity, and pick the hiring advice."""
    policy, lang = part.compiled.policy, part.lang
    found: dict[m.Risk, list[dict[str, str]]] = {}
    for hit in part.risks:
        found.setdefault(hit.risk, []).append({"item": hit.item_id, "detail": hit.detail})
    ordered = sorted(found, key=lambda r: (_SEVERITY[policy.role.risks[r].severity], m.RISKS.index(r)))
    risks = []
    for risk in ordered:
        rp = policy.role.risks[risk]
        risks.append(
            {
                "code": risk.value,
                "severity": rp.severity,
                "label": rp.label.get(lang),
                "reason": rp.reason.get(lang),
                "answers": found[risk],
            }
        )
    advice = [policy.role.risks[r].advice.get(lang) for r in ordered]
    hire = next(
        h for h in policy.role.hire if len(ordered) >= h.min_risks and (not h.any_of or set(h.any_of) & set(ordered))
    )
    earned, possible = part.role_points
    return {
        "score": r1(100 * earned / possible) if possible else None,
        "risks": risks,
        "advice": advice,
        "hire": hire.text.get(lang),
    }
