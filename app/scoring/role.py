"""The role assessment: risks in how a position is designed, and advice on shaping it and whom to hire."""

from __future__ import annotations

from typing import Any, Final

from app.scoring import model as m
from app.scoring.collect import Collected
from app.scoring.numbers import r1

_SEVERITY: Final = {"high": 0, "medium": 1, "low": 2}


def assess(part: Collected) -> dict[str, Any]:
    """Group the risks the answers fired, order them by severity, and pick the hiring advice."""
    compiled, texts = part.compiled, part.texts
    found: dict[int, list[dict[str, str]]] = {}
    for hit in part.risks:
        found.setdefault(hit.code, []).append({"item": hit.item_id, "detail": hit.detail})
    severity = compiled.risk_severity
    ordered = sorted(found, key=lambda r: (_SEVERITY[severity[r]], r))
    risks = [
        {
            "code": m.RISKS[r].value,
            "severity": severity[r],
            "label": texts.risk_labels[r],
            "reason": texts.risk_reasons[r],
            "answers": found[r],
        }
        for r in ordered
    ]
    advice = [texts.risk_advice[r] for r in ordered]
    fired = {m.RISKS[r] for r in ordered}
    hire = next(
        i
        for i, h in enumerate(compiled.policy.role.hire)
        if len(ordered) >= h.min_risks and (not h.any_of or set(h.any_of) & fired)
    )
    earned, possible = part.role_earned, part.role_possible
    return {
        "score": r1(100 * earned / possible) if possible else None,
        "risks": risks,
        "advice": advice,
        "hire": texts.hire[hire],
    }
