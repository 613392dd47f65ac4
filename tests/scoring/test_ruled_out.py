"""Answers the form's own other answers rule out (``ruled_out_by``): a confirmation that cannot have happened.

HR's verification can contradict itself: references "not called" yet "references confirmed the business
results"; a portfolio with business results seen, yet "the candidate could show nothing". Such a
confirmation is no confirmed evidence: it earns nothing, and the verdict's reasons name the two answers so
HR can put the form right.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from app.questionnaires.loader import load_bank
from app.scoring import model as m
from app.scoring.bundle import Bundle
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.engine import Part, score, score_combined
from tests.scoring.conftest import DATA, SELF_TEST, make_bundle, opt

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
DAY = dt.date(2026, 11, 29)
CONFIRMED_WHAT = [
    "role_and_tasks",
    "business_results",
    "worked_across_departments",
    "judgement_sensitive",
    "guided_others",
]


@pytest.fixture(scope="module")
def bank() -> dict[str, Compiled]:
    return {q.id: compile_bundle(q.bundle) for q in load_bank(QUESTIONS)}


def _example(name: str, **changes: Any) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((QUESTIONS / "examples" / f"{name}.json").read_text())["answers"]
    return {**answers, **changes}


def _run(bank: dict[str, Compiled], answers: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    return score(bank["hr-assessment"], answers, at=DAY, lang=lang)


def _ruled_out(result: dict[str, Any]) -> list[str]:
    return [r["text"] for r in result["verdict"]["reasons"] if r["kind"] == "ruled_out"]


def _track_record(result: dict[str, Any]) -> float:
    score: float = result["evidence"]["dimensions"]["track_record"]["score"]
    return score


def test_references_not_called_confirm_nothing(bank: dict[str, Compiled]) -> None:
    # The audit's case: a top interview, nothing checked, yet "what the references confirmed" is filled in.
    # Counted, it made the checks confirm the person (100) and the verdict "ready to lead".
    unchecked = _example(
        "hr-assessment--senior",
        references_called="not_called",
        references_confirmed_what=["not_applicable"],
        results_checked="no_results_claimed",
        tenure_checked="not_checked",
        public_work_checked="not_checked",
    )
    del unchecked["portfolio_business_results"]
    impossible = {**unchecked, "references_confirmed_what": CONFIRMED_WHAT}
    r, honest = _run(bank, impossible), _run(bank, unchecked)
    assert (r["verdict"]["code"], r["verdict"]["rule"]) == ("ready_with_mentor", "senior_unconfirmed")
    assert r["evidence"] == honest["evidence"]
    assert "Why not 'Ready to lead': confirmation by HR or referees not measured (needed: at least 50)" in [
        x["text"] for x in r["verdict"]["reasons"]
    ]
    assert _ruled_out(honest) == []
    [said] = _ruled_out(r)
    assert said == (
        "Not counted: “The candidate's role and tasks; Concrete business results, with figures; Working with other "
        "departments; Good judgement in sensitive situations or crises; Guiding or managing others” for “What did "
        "the references confirm? Choose all that apply.” cannot be right beside “Not called” for “What was the "
        "outcome of the reference check?”. Check which answer is true and record that."
    )
    [gezegd] = _ruled_out(_run(bank, impossible, lang="nl"))
    assert gezegd.startswith("Telt niet mee: “De rol en taken van de kandidaat; Concrete zakelijke resultaten")
    assert "kan niet kloppen naast “Niet gebeld” bij “Wat was de uitkomst van het referentieonderzoek?”" in gezegd


def test_a_reference_not_reached_confirms_nothing_either(bank: dict[str, Compiled]) -> None:
    base = _example("hr-assessment--midlevel", references_called="not_reached")
    r = _run(bank, {**base, "references_confirmed_what": ["role_and_tasks", "business_results"]})
    assert r["evidence"] == _run(bank, {**base, "references_confirmed_what": ["not_applicable"]})["evidence"]
    assert "“Called but not reached, or no references given”" in _ruled_out(r)[0]


def test_references_that_confirmed_cannot_be_none_spoken_to(bank: dict[str, Compiled]) -> None:
    base = _example("hr-assessment--midlevel", references_confirmed_what=["not_applicable"])
    r = _run(bank, {**base, "references_called": "confirmed"})
    assert r["evidence"] == _run(bank, {**base, "references_called": "not_called"})["evidence"]
    assert _ruled_out(r)[0].startswith("Not counted: “References confirmed the claimed results”")
    assert "beside “Not applicable (no references spoken to)”" in _ruled_out(r)[0]


def test_a_portfolio_the_candidate_could_not_show_confirms_nothing(bank: dict[str, Compiled]) -> None:
    for results in ("claimed_not_shown", "no_results_claimed"):
        base = _example("hr-assessment--midlevel", results_checked=results)
        without = {k: v for k, v in base.items() if k != "portfolio_business_results"}
        r = _run(bank, {**base, "portfolio_business_results": "yes"})
        assert _track_record(r) == _track_record(_run(bank, without)), results
        assert _ruled_out(r)[0].startswith("Not counted: “answer: yes” for “The candidate claimed results."), results
    closed = _example("hr-assessment--midlevel", public_work_checked="all_closed", portfolio_business_results="yes")
    assert "“Nothing to see; all accounts are locked and there is no portfolio”" in _ruled_out(_run(bank, closed))[0]


def test_results_seen_in_data_cannot_be_a_portfolio_not_shown(bank: dict[str, Compiled]) -> None:
    base = _example("hr-assessment--senior", portfolio_business_results="no")
    r = _run(bank, base)
    without = {k: v for k, v in base.items() if k != "results_checked"}
    assert _track_record(r) == _track_record(_run(bank, without))
    assert _ruled_out(r)[0].startswith("Not counted: “Yes, in reports, dashboards or other data")
    # The "no" is HR's own finding: it still fires unverified_claims.
    assert "unverified_claims" in {s["code"] for s in r["claims"]["signals"]}


def test_a_ruled_out_answer_still_fires_its_claim_signal(bank: dict[str, Compiled]) -> None:
    # A reference without a working relationship is no confirmation: ruling out the confirmations beside it
    # leaves its warning standing.
    base = _example("hr-assessment--midlevel", references_called="not_called")
    r = _run(bank, {**base, "references_confirmed_what": ["business_results", "no_work_relationship"]})
    assert "unverified_claims" in {s["code"] for s in r["claims"]["signals"]}
    assert "Concrete business results" in _ruled_out(r)[0] and "working relationship" not in _ruled_out(r)[0]


def test_consistent_forms_are_left_alone(bank: dict[str, Compiled]) -> None:
    for path in sorted((QUESTIONS / "examples").glob("hr-assessment--*.json")):
        answers = json.loads(path.read_text())["answers"]
        assert _ruled_out(_run(bank, answers)) == [], path.name


def test_the_combined_result_says_it_too(bank: dict[str, Compiled]) -> None:
    hr = _example("hr-assessment--senior", references_called="not_called")
    parts = [Part(bank["self-test"], _example("self-test--senior")), Part(bank["hr-assessment"], hr)]
    result = score_combined(parts, at=DAY, lang="en")
    assert len(_ruled_out(result)) == 1 and "“Not called”" in _ruled_out(result)[0]


# ------------------------------------------------------------------------------------------- the file format


def _with_rule(rule: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(SELF_TEST)
    kpis = next(i for s in data["sections"] for i in s["items"] if i["id"] == "kpis")
    kpis["options"][0]["ruled_out_by"] = rule
    return data


def test_the_format_checks_what_ruled_out_by_names() -> None:
    assert m.Questionnaire.model_validate(_with_rule({"crisis": ["double_down"]}))
    problems = {
        "nothing": ({"no_such_item": ["a"]}, "'no_such_item' is no item of this questionnaire"),
        "itself": ({"kpis": ["revenue"]}, "'kpis' is the item itself"),
        "answer": ({"crisis": ["shrug"]}, "['shrug'] for 'crisis'; choose from ['apologise', 'delete', 'double_down']"),
        "type": ({"roi_calc": ["x"]}, "'roi_calc' is a numeric item"),
    }
    for rule, expected in problems.values():
        with pytest.raises(ValidationError, match=r"item 'kpis', answer 'leads', ruled_out_by") as info:
            m.Questionnaire.model_validate(_with_rule(rule))
        assert expected in str(info.value)


def test_a_questionnaire_without_rules_keeps_its_version_and_old_policies_load() -> None:
    assert "ruled_out_by" not in m.YesNoAnswer(points=1).model_dump(mode="json")
    assert "ruled_out_by" not in m.Option.model_validate(opt("leads", 2)).model_dump(mode="json")
    # A policy stored before the message existed still scores a questionnaire that rules nothing out...
    policy: dict[str, Any] = yaml.safe_load((DATA / "scoring-policy.yaml").read_text(encoding="utf-8"))
    del policy["messages"]["answer_ruled_out"]
    plain = make_bundle(SELF_TEST).model_dump(mode="json") | {"policy": policy}
    assert Bundle.model_validate(plain)
    # ...but a questionnaire that does needs it.
    with pytest.raises(ValidationError, match="messages lacks answer_ruled_out"):
        Bundle.model_validate(plain | {"questionnaire": _with_rule({"crisis": ["double_down"]})})
