"""A candidate's interview guide: the questions for HR, chosen from their latest completed self-test."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import Assessment
from app.assessments.service import latest_completed
from app.candidates.models import Candidate
from app.questionnaires import service as questionnaires
from app.questionnaires.loader import load_interview_guide
from app.reports.service import HR_QUESTIONNAIRE, SELF_TEST
from app.scoring import guide as interview_guide
from app.scoring.guide import InterviewGuide


@dataclass(frozen=True)
class GuideView:
    """The self-test the guide was built from (None when there is none yet), the guide itself, the
    names of the HR assessment items its questions link to, and the names of the self-test's items (the
    claims it asks about)."""

    self_test: Assessment | None
    guide: dict[str, Any] | None
    hr_labels: dict[str, str] = field(default_factory=dict)
    item_labels: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=4)
def bank_guide(questions_dir: Path) -> InterviewGuide | None:
    """Return the bank's interview guide, read once per folder (validated with the bank at start-up)."""
    return load_interview_guide(questions_dir)


def for_candidate(session: Session, candidate: Candidate, lang: str, questions_dir: Path) -> GuideView:
    """Build the interview guide from the candidate's latest completed self-test, in ``lang``."""
    assert candidate.id is not None
    self_test = latest_completed(session, SELF_TEST, candidate_id=candidate.id)
    questions = bank_guide(questions_dir)
    if self_test is None or questions is None:
        return GuideView(self_test, None)
    result = assessments.localised_result(session, self_test, lang)
    if result is None:
        return GuideView(self_test, None)
    compiled = assessments.compiled_of(session, self_test)
    built = interview_guide.build(questions, result, weak_below=compiled.policy.weak_below, lang=lang)
    own = {item.id: item.text.get(lang) for item in compiled.questionnaire.items()}
    return GuideView(self_test, built, hr_item_labels(session, lang), own)


def hr_item_labels(session: Session, lang: str) -> dict[str, str]:
    """Return the names of the current HR assessment's items, to name the scales a question links to."""
    version = questionnaires.get_current(session, HR_QUESTIONNAIRE)
    if version is None:
        return {}
    return {item.id: item.text.get(lang) for item in assessments.compiled_for(version).questionnaire.items()}


def beside_scales(questions_dir: Path, lang: str) -> dict[str, list[dict[str, Any]]]:
    """Return the guide's questions per HR assessment item, to show beside each scale of the HR form."""
    questions = bank_guide(questions_dir)
    return interview_guide.by_hr_item(questions, lang) if questions is not None else {}
