"""Norms appear at 30 completed assessments; reliability is Cronbach's alpha over stored item scores."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.assessments.statistics import percentile_ranks, reliability
from app.questionnaires import service as questionnaires
from app.scoring.collect import collect
from tests.assessments.conftest import bank, example  # noqa: F401 - the bank fixture

PERSONAS = ("senior", "midlevel", "nephew", "guru")


def _complete(session: Session, n: int) -> list[str]:
    ids = []
    for i in range(n):
        created = assessments.create(
            session, questionnaire_id="self-test", mode=AssessmentMode.ANONYMOUS, language="en", actor="test"
        )
        assessments.save_answers(session, created.assessment, example(f"self-test--{PERSONAS[i % 4]}"))
        assessments.submit(session, created.assessment, actor="test")
        ids.append(created.assessment.id)
    return ids


def test_no_norms_below_thirty(bank: Session) -> None:  # noqa: F811
    ids = _complete(bank, 29)
    result = assessments.result_of(bank, assessments.get(bank, ids[0]))
    assert result is not None
    assert percentile_ranks(bank, result.content_hash, result.result) is None


def test_percentile_ranks_at_thirty(bank: Session) -> None:  # noqa: F811
    ids = _complete(bank, 32)  # 8 of each persona
    results = {i: assessments.result_of(bank, assessments.get(bank, i)) for i in ids}
    senior = results[ids[0]]
    guru = results[ids[3]]
    assert senior is not None and guru is not None
    senior_ranks = percentile_ranks(bank, senior.content_hash, senior.result)
    guru_ranks = percentile_ranks(bank, guru.content_hash, guru.result)
    assert senior_ranks is not None and guru_ranks is not None
    # 24 of 32 below the senior's evidence, 8 equal: PR = 100 * (24 + 4) / 32 = 87.5.
    assert senior_ranks["evidence"] == 87.5
    # The guru has the lowest evidence and the highest claims index.
    assert guru_ranks["evidence"] == 100 * (0 + 4) / 32
    assert guru_ranks["claims"] == 100 * (24 + 4) / 32


def test_reliability_per_dimension(bank: Session) -> None:  # noqa: F811
    _complete(bank, 8)
    version = questionnaires.get_current(bank, "self-test")
    assert version is not None
    report = reliability(bank, version)
    assert report.respondents >= 8
    assert report.items["strategy"] >= 2
    # The personas differ consistently across items, so internal consistency is high.
    alpha = report.alpha["strategy"]
    assert alpha is not None and 0.7 < alpha <= 1.0


def test_reliability_keeps_an_item_the_first_respondent_left_open(bank: Session) -> None:  # noqa: F811
    # The item set of a dimension is every item that scored for anyone, not the first respondent's items:
    # an interviewer who marked a scale "not observed" first must not drop it for everyone after them.
    def hr_assessment(answers: dict[str, object]) -> None:
        created = assessments.create(
            bank, questionnaire_id="hr-assessment", mode=AssessmentMode.HR, language="en", actor="test"
        )
        assessments.save_answers(bank, created.assessment, answers)
        assessments.submit(bank, created.assessment, actor="test")

    hr_assessment({k: v for k, v in example("hr-assessment--midlevel").items() if k != "bars_measures_in_money"})
    for i in range(8):
        hr_assessment(example(f"hr-assessment--{('senior', 'midlevel', 'nephew', 'guru')[i % 4]}"))
    version = questionnaires.get_current(bank, "hr-assessment")
    assert version is not None
    report = reliability(bank, version)
    full = collect(assessments.compiled_for(version), example("hr-assessment--senior"), on=dt.date.today(), lang="en")
    assert report.items["roi"] == len(full.dims["roi"]) >= 2  # the scale the first one skipped is in
    assert report.alpha["roi"] is not None
