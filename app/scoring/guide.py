"""The interview guide: which questions HR should ask a candidate, built from their self-test result.

The questions are data (``questions/data/interview-guide.yaml``, validated against :class:`InterviewGuide`);
this module only chooses among them. A claim signal that fired, a self-reported claim still to confirm and
a weak, thin or over-claimed dimension each bring their questions, every question linked to the HR
assessment items (behaviourally anchored scales, verification checks) where HR records what it heard.

Pure: a result dict in, a JSON-ready dict out; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, model_validator

from app.scoring.model import DIMENSIONS, SIGNALS, Dimension, Frozen, Signal, Slug, Text

Questions = Annotated[tuple["GuideQuestion", ...], Field(min_length=1, max_length=3)]


class GuideQuestion(Frozen):
    """One interview question with what a credible and a weak answer sound like."""

    id: Slug
    ask: Text
    credible: Text
    """What a credible answer contains."""
    weak: Text
    """What a weak answer sounds like."""
    hr_items: tuple[Slug, ...] = ()
    """HR assessment items (scales, verification checks) where HR records what the answer showed."""


class DimensionQuestions(Frozen):
    questions: Questions


class InterviewGuide(Frozen):
    """The question bank of the interview guide (``questions/data/interview-guide.yaml``)."""

    thin_below: Annotated[float, Field(ge=0, le=100)]
    """A dimension scoring below this is thin evidence: worth a question even when it is not weak."""
    signals: dict[Signal, Questions]
    unconfirmed: dict[Slug, Questions]
    """Per self-reported self-test item (years, results, references): how to confirm it."""
    dimensions: dict[Dimension, Questions]

    @model_validator(mode="after")
    def _complete(self) -> InterviewGuide:
        missing = [s.value for s in SIGNALS if s not in self.signals]
        if missing:
            raise ValueError(f"signals: every claim signal needs questions; missing: {', '.join(missing)}")
        missing = [d.value for d in DIMENSIONS if d not in self.dimensions]
        if missing:
            raise ValueError(f"dimensions: every evidence dimension needs questions; missing: {', '.join(missing)}")
        ids = [q.id for q in self.all_questions()]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"signals: question ids must be unique in the guide; repeated: {', '.join(repeated)}")
        return self

    def all_questions(self) -> list[GuideQuestion]:
        """Return every question in the guide, in file order."""
        groups = [*self.signals.values(), *self.unconfirmed.values(), *self.dimensions.values()]
        return [q for group in groups for q in group]


def _question(q: GuideQuestion, lang: str) -> dict[str, Any]:
    return {
        "id": q.id,
        "ask": q.ask.get(lang),
        "credible": q.credible.get(lang),
        "weak": q.weak.get(lang),
        "hr_items": list(q.hr_items),
    }


def _dimension_status(
    dim: str, score: float | None, calibration: Mapping[str, Any], weak_below: float, thin_below: float
) -> str | None:
    """Why a dimension needs questions: not measured, weak, over-claimed or thin; None when it does not."""
    if score is None:
        return "not_measured"
    if score < weak_below:
        return "weak"
    if (calibration.get(dim) or {}).get("code") == "over_claiming":
        return "over_claimed"
    if score < thin_below:
        return "thin"
    return None


def build(guide: InterviewGuide, result: Mapping[str, Any], *, weak_below: float, lang: str) -> dict[str, Any]:
    """Return the interview guide for one scored result (a self-test or a combined result).

    ``signals`` follows the result's fired claim signals (strongest share of the claims index first),
    ``unconfirmed`` its self-reported claims that nobody confirmed yet, and ``dimensions`` every dimension
    that is not measured, weak (below ``weak_below``), over-claimed or thin (below ``thin_below``).
    """
    claims = result.get("claims") or {}
    signals = []
    for fired in claims.get("signals") or []:
        questions = guide.signals.get(Signal(fired["code"]))
        if questions:
            signals.append(
                {
                    "code": fired["code"],
                    "label": fired.get("label", fired["code"]),
                    "reason": fired.get("reason", ""),
                    "questions": [_question(q, lang) for q in questions],
                }
            )
    unconfirmed = []
    for claim in claims.get("unconfirmed") or []:
        questions = guide.unconfirmed.get(claim["item"])
        if questions:
            unconfirmed.append(
                {"item": claim["item"], "detail": claim["detail"], "questions": [_question(q, lang) for q in questions]}
            )
    evidence = (result.get("evidence") or {}).get("dimensions") or {}
    calibration = (result.get("calibration") or {}).get("dimensions") or {}
    dimensions = []
    for dim in DIMENSIONS:
        shown = evidence.get(dim.value) or {}
        score = shown.get("score")
        status = _dimension_status(dim.value, score, calibration, weak_below, guide.thin_below)
        if status is not None:
            dimensions.append(
                {
                    "dimension": dim.value,
                    "label": shown.get("label", dim.value),
                    "score": score,
                    "status": status,
                    "questions": [_question(q, lang) for q in guide.dimensions[dim]],
                }
            )
    return {"language": lang, "signals": signals, "unconfirmed": unconfirmed, "dimensions": dimensions}


def by_hr_item(guide: InterviewGuide, lang: str) -> dict[str, list[dict[str, Any]]]:
    """Return the dimension questions per HR assessment item, for showing beside each scale."""
    found: dict[str, list[dict[str, Any]]] = {}
    for questions in guide.dimensions.values():
        for q in questions:
            for item in q.hr_items:
                found.setdefault(item, []).append(_question(q, lang))
    return found
