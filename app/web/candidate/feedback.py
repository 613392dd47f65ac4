"""Turn a scored result into the candidate's feedback: strengths first, then gaps, next steps and a mentor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from app.reports.headline import Point, measured
from app.scoring import model as m
from app.web import charts

# Calibration per dimension is only worth showing when it says something: a clear gap either way.
NOTABLE_GAP = 15.0


@dataclass(frozen=True)
class Calibrated:
    label: str
    self_rating: float
    evidence: float
    code: str


@dataclass(frozen=True)
class Feedback:
    verdict: str
    calibration: str
    evidence: float | None
    claims: float | None
    strengths: list[Point]
    gaps: list[dict[str, Any]]
    """The mentoring focus: per gap ``label``, ``score`` and concrete ``points``."""
    signals: list[dict[str, Any]]
    self_ratings: list[Calibrated]
    discipline: str | None
    discipline_label: str | None
    mentor_required: bool
    chart: Markup


def build(result: dict[str, Any], policy_target: float, lang: str) -> Feedback:
    """Sort a result into what the feedback page says, in the order a person can take it in."""
    evidence = result.get("evidence") or {}
    dimensions = measured(result)
    strengths = sorted((d for d in dimensions if d.score >= policy_target), key=lambda d: -d.score)
    mentoring = result.get("mentoring") or {}
    calibration = result.get("calibration") or {}
    labels = {d.key: d.label for d in dimensions}
    self_ratings = [
        Calibrated(labels.get(code, code), float(entry["self_rating"]), float(entry["evidence"]), str(entry["code"]))
        for code, entry in (calibration.get("dimensions") or {}).items()
        if entry.get("self_rating") is not None and entry.get("evidence") is not None
    ]
    return Feedback(
        verdict=str((result.get("verdict") or {}).get("code") or m.Verdict.INSUFFICIENT_EVIDENCE),
        calibration=str(calibration.get("code") or m.Calibration.CALIBRATED),
        evidence=evidence.get("overall"),
        claims=(result.get("claims") or {}).get("index"),
        strengths=strengths,
        gaps=list(mentoring.get("focus") or []),
        signals=list((result.get("claims") or {}).get("signals") or []),
        self_ratings=[r for r in self_ratings if abs(r.self_rating - r.evidence) >= NOTABLE_GAP],
        discipline=mentoring.get("discipline"),
        discipline_label=mentoring.get("discipline_label"),
        mentor_required=bool(mentoring.get("required")),
        chart=charts.evidence_claims_svg(result, lang),
    )
