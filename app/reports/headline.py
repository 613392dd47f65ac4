"""One number everywhere: the result every screen shows for a candidate, and which result it is.

The rule: when more than one source is in the candidate's result (a self-test and an HR assessment, or
either with referees' statements) the screens show the combined result and call it "combined"; with one
source they show that one and name it ("self-test", "HR assessment"). The candidate list and its exports
(stored columns kept by ``store``), the compare view and the report all take their figures from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from app.reports.combined import Combined

SELF_TEST = "self_test"
HR_ASSESSMENT = "hr_assessment"
COMBINED = "combined"


@dataclass(frozen=True)
class Headline:
    """A candidate's evidence, claims index and verdict, and the source they come from (None: no result yet)."""

    source: str | None
    evidence: float | None
    claims: float | None
    verdict: str | None


def headline(combined: Combined) -> Headline:
    """Return the result the screens show for this candidate, and its source, by the rule above."""
    result = combined.result
    sources = [
        name
        for name, present in (
            (SELF_TEST, combined.self_test is not None),
            (HR_ASSESSMENT, combined.hr_assessment is not None),
            ("references", bool(result and result.get("references"))),
        )
        if present
    ]
    if result is None or not sources or sources == ["references"]:
        return Headline(None, None, None, None)
    evidence = (result.get("evidence") or {}).get("overall")
    claims = (result.get("claims") or {}).get("index")
    return Headline(
        COMBINED if len(sources) > 1 else sources[0],
        None if evidence is None else float(evidence),
        None if claims is None else float(claims),
        combined.verdict,
    )


def number(value: float | None, lang: str) -> str:
    """Format a score the same way on every screen: one decimal, in the user's locale (65.6, 65,6)."""
    return "" if value is None else format_decimal(value, format="#,##0.0", locale=lang)


@dataclass(frozen=True)
class Point:
    """One measured dimension of a result: its key, label and evidence score."""

    key: str
    label: str
    score: float


def measured(result: dict[str, Any] | None) -> list[Point]:
    """Return the result's dimensions that have an evidence score, in the result's order."""
    dimensions = ((result or {}).get("evidence") or {}).get("dimensions") or {}
    return [
        Point(key, str(dim.get("label") or key), float(dim["score"]))
        for key, dim in dimensions.items()
        if dim.get("score") is not None
    ]
