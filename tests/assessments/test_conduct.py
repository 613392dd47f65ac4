"""How answers were given, stored per assessment: option seed, time per section, pasted free text (both databases)."""

from __future__ import annotations

from sqlmodel import Session

from app.assessments import conduct
from app.assessments import service as assessments
from app.assessments.conduct import Visit, add_visit, seconds_of
from app.assessments.models import Assessment, AssessmentMode
from app.candidates.models import Candidate
from app.privacy.export import export_candidate
from app.scoring import engine
from app.web.candidate import consent
from tests.assessments.conftest import example

SELF_TEST = "self-test"
TEXT_ITEM = "result_story"  # a free-text item of the self-test
TEXT_SECTION = "results_in_your_words"


def _create(session: Session, mode: AssessmentMode = AssessmentMode.INVITATION) -> Assessment:
    questionnaire = SELF_TEST if mode != AssessmentMode.HR else "hr-assessment"
    return assessments.create(
        session, questionnaire_id=questionnaire, mode=mode, language="en", actor="test"
    ).assessment


def _stored(session: Session, assessment: Assessment) -> Assessment:
    session.expire(assessment)
    found = session.get(Assessment, assessment.id)
    assert found is not None
    return found


def test_starting_on_the_pages_picks_one_of_the_option_orders_and_other_answers_keep_file_order(
    bank: Session,
) -> None:
    started = []
    for _ in range(30):
        assessment = _create(bank)
        assert assessment.option_seed is None  # not chosen before the person starts
        consent.record(bank, assessment)
        started.append(_stored(bank, assessment).option_seed)
    assert set(started) <= set(range(conduct.OPTION_ORDERS)) and len(set(started)) > 1  # random, a cached order
    again = _stored(bank, _create(bank))
    consent.record(bank, again)
    seed = _stored(bank, again).option_seed
    consent.record(bank, again, keep_longer=True)  # starting again (a second tab) keeps the order
    assert _stored(bank, again).option_seed == seed
    # Answers through the API (an ATS shows the questions in the file's order) and HR's forms: no seed.
    through_api = _create(bank, AssessmentMode.API)
    assessments.submit(bank, through_api, actor="api", answers=example("self-test--midlevel"))
    assert _stored(bank, through_api).option_seed is None
    assert _stored(bank, _create(bank, AssessmentMode.HR)).option_seed is None


def test_a_section_time_runs_from_showing_to_the_last_save_and_visits_add_up() -> None:
    times = add_visit({}, Visit("roi", shown=1000.0, saved=1030.0))
    times = add_visit(times, Visit("roi", shown=1000.0, saved=1090.0))  # a later save of the same visit
    times = add_visit(times, Visit("roi", shown=1000.0, saved=1050.0))  # arrived late: the visit lasted 90 s
    assert seconds_of(times) == {"roi": 90.0}
    times = add_visit(times, Visit("roi", shown=5000.0, saved=5020.0))  # back to the section later
    assert seconds_of(times) == {"roi": 110.0}
    assert add_visit(times, Visit("roi", shown=1000.0, saved=9000.0)) == times  # an old tab adds nothing
    assert seconds_of(add_visit(times, Visit("about_you", shown=7000.0, saved=7012.5))) == {
        "roi": 110.0,
        "about_you": 12.5,
    }


def test_saves_store_section_time_and_pasted_answers(bank: Session) -> None:
    assessment = _create(bank)
    answer = example("self-test--midlevel")[TEXT_ITEM]
    assessments.save_answers(
        bank,
        assessment,
        {TEXT_ITEM: answer},
        section="results_in_your_words",
        visit=Visit("results_in_your_words", shown=100.0, saved=160.0),
        pasted={TEXT_ITEM},
    )
    assessments.save_answers(
        bank,
        assessment,
        {"self_title": example("self-test--midlevel")["self_title"]},
        visit=Visit("about_you", shown=200.0, saved=212.0),
    )
    bank.commit()
    stored = _stored(bank, assessment)
    assert stored.pasted_items == [TEXT_ITEM]
    assert seconds_of(stored.section_times) == {"results_in_your_words": 60.0, "about_you": 12.0}
    found = conduct.of(stored)
    assert found.pasted == {TEXT_ITEM} and found.seconds == {"results_in_your_words": 60.0, "about_you": 12.0}
    assert found.option_seed == stored.option_seed

    # A save without a flag keeps it; emptying the answer removes it (nothing pasted is left).
    assessments.save_answers(bank, assessment, {TEXT_ITEM: answer + " More."})
    assert _stored(bank, assessment).pasted_items == [TEXT_ITEM]
    assessments.save_answers(bank, assessment, {TEXT_ITEM: ""})
    assert _stored(bank, assessment).pasted_items is None


def test_a_paste_flag_on_an_answer_that_was_not_saved_is_not_stored(bank: Session) -> None:
    assessment = _create(bank)
    problems = assessments.save_answers(bank, assessment, {TEXT_ITEM: "x" * 100_000}, pasted={TEXT_ITEM})
    assert TEXT_ITEM in problems
    assert _stored(bank, assessment).pasted_items is None


def test_submit_scores_with_the_stored_conduct(bank: Session) -> None:
    assessment = _create(bank)
    answers = example("self-test--midlevel")
    assessments.save_answers(bank, assessment, answers, pasted={TEXT_ITEM})
    assessments.save_answers(bank, assessment, {}, visit=Visit("scenarios_1", shown=0.0, saved=3.0))
    result = assessments.submit(bank, assessment, actor="test").result
    codes = [flag["code"] for flag in result["integrity"]["flags"]]
    assert "pasted_text" in codes and "fast_section" in codes
    assert result["integrity"]["confidence"] == "lowered" and result["verdict"]["confidence"] == "lowered"
    # The same answers without the conduct give the same verdict: the flags lower confidence, nothing else.
    compiled = assessments.compiled_of(bank, assessment)
    plain = engine.score(compiled, answers, at=assessment.assessment_date, lang="en")
    assert plain["integrity"]["flags"] == [] and result["verdict"]["code"] == plain["verdict"]["code"]


def test_the_personal_data_export_holds_how_the_answers_were_given(bank: Session) -> None:
    person = Candidate(first_name="Erin", last_name="Export")
    bank.add(person)
    bank.flush()
    assessment = assessments.create(
        bank,
        questionnaire_id=SELF_TEST,
        mode=AssessmentMode.INVITATION,
        language="en",
        actor="t",
        candidate_id=person.id,
    ).assessment
    consent.record(bank, assessment)
    text = example("self-test--midlevel")[TEXT_ITEM]
    visit = Visit(TEXT_SECTION, shown=10.0, saved=55.0)
    assessments.save_answers(bank, assessment, {TEXT_ITEM: text}, section=TEXT_SECTION, visit=visit, pasted={TEXT_ITEM})
    [exported] = export_candidate(bank, person)["assessments"]
    assert exported["option_seed"] == assessment.option_seed is not None
    assert exported["pasted_items"] == [TEXT_ITEM]
    assert seconds_of(exported["section_times"]) == {TEXT_SECTION: 45.0}
