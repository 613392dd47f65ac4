"""Careless and dishonest responding: shuffled option order, and flags that lower confidence without deciding."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.questionnaires.loader import load_bank
from app.scoring import model as m
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.engine import Conduct, score
from app.scoring.presentation import option_order, term_order

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
DAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def self_test() -> Compiled:
    return next(compile_bundle(q.bundle) for q in load_bank(QUESTIONS) if q.id == "self-test")


def senior() -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((QUESTIONS / "examples" / "self-test--senior.json").read_text())["answers"]
    return answers


def test_option_order_is_shuffled_per_assessment_and_reproducible(self_test: Compiled) -> None:
    sjts = [i for i in self_test.items if isinstance(i, m.SjtItem)]
    orders = {seed: [[o.id for o in option_order(i, seed)] for i in sjts] for seed in (1, 2)}
    assert orders[1] == [[o.id for o in option_order(i, 1)] for i in sjts]  # the same seed, the same order
    assert orders[1] != orders[2]
    assert all(sorted(order) == sorted(o.id for o in item.options) for order, item in zip(orders[1], sjts, strict=True))
    # Over many people, the keyed best option is in every position.
    positions = {[o.id for o in option_order(sjts[0], seed)].index(sjts[0].key.best) for seed in range(40)}
    assert positions == {0, 1, 2, 3}


def test_scales_keep_their_order_and_other_stays_last(self_test: Compiled) -> None:
    items = {i.id: i for i in self_test.items}
    years = items["years_in_profession"]
    assert isinstance(years, m.SingleChoiceItem) and years.ordered
    assert option_order(years, 7) == list(years.options)
    title = items["self_title"]
    assert isinstance(title, m.SingleChoiceItem)
    assert all(option_order(title, seed)[-1].id == "other" for seed in range(20))
    familiarity = items["term_familiarity"]
    assert isinstance(familiarity, m.FamiliarityItem)
    assert [t.id for t in term_order(familiarity, 3)] != [t.id for t in familiarity.terms]


def test_a_careful_respondent_raises_no_flag(self_test: Compiled) -> None:
    seconds = {s.id: 600.0 for s in self_test.questionnaire.sections}
    r = score(self_test, senior(), at=DAY, conduct=Conduct(seconds=seconds, option_seed=11))
    assert r["integrity"] == {"flags": [], "confidence": "normal"}
    assert r["verdict"]["confidence"] == "normal"


def test_implausibly_fast_sections_and_pasted_text_lower_confidence_but_do_not_decide(self_test: Compiled) -> None:
    conduct = Conduct(seconds={"scenarios_1": 20.0}, pasted=frozenset({"result_story"}))
    plain = score(self_test, senior(), at=DAY)
    flagged = score(self_test, senior(), at=DAY, conduct=conduct)
    codes = [f["code"] for f in flagged["integrity"]["flags"]]
    assert codes == ["fast_section", "pasted_text"]
    assert "20 seconds" in flagged["integrity"]["flags"][0]["detail"]
    assert flagged["verdict"]["confidence"] == "lowered"
    assert flagged["verdict"]["code"] == plain["verdict"]["code"]
    assert flagged["evidence"] == plain["evidence"] and flagged["claims"] == plain["claims"]
    assert flagged["verdict"]["reasons"][-1]["kind"] == "confidence"


def test_straight_lining_on_the_familiarity_list(self_test: Compiled) -> None:
    answers = senior()
    answers["term_familiarity"] = dict.fromkeys(answers["term_familiarity"], 3)
    flags = score(self_test, answers, at=DAY)["integrity"]["flags"]
    assert [f["code"] for f in flags] == ["straight_lining"]
    assert "32/32" in flags[0]["detail"]


def test_choosing_the_same_screen_position_every_time(self_test: Compiled) -> None:
    seed = 5
    answers = senior()
    for item in self_test.items:
        if isinstance(item, m.SjtItem):
            shown = [o.id for o in option_order(item, seed)]
            answers[item.id] = {"best": shown[0], "worst": shown[-1]}
    flags = score(self_test, answers, at=DAY, conduct=Conduct(option_seed=seed))["integrity"]["flags"]
    assert [f["code"] for f in flags] == ["same_position"]
    assert "position 1" in flags[0]["detail"]
