"""Properties that must hold for every valid set of answers."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scoring.answers import validate_answers
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.engine import score
from tests.scoring.conftest import SELF_TEST, make_bundle
from tests.scoring.strategies import answers_for

MINI = compile_bundle(make_bundle(SELF_TEST))
ANSWERS = answers_for(MINI.questionnaire)
DATES = st.dates(dt.date(2015, 1, 1), dt.date(2040, 12, 31))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _score(c: Compiled, answers: dict[str, Any], on: dt.date) -> dict[str, Any]:
    return score(c, answers, at=on, lang="en")


@FAST
@given(ANSWERS, DATES)
def test_generated_answers_are_valid_and_scores_stay_in_range(answers: dict[str, Any], on: dt.date) -> None:
    assert validate_answers(MINI.questionnaire, answers) == []
    r = _score(MINI, answers, on)
    values = [d["score"] for d in r["evidence"]["dimensions"].values() if d["score"] is not None]
    values += [r["evidence"]["overall"], r["claims"]["index"]]
    values += [s["contribution"] for s in r["claims"]["signals"]]
    assert all(0 <= v <= 100 for v in values)
    assert r["verdict"]["code"] in {"ready_to_lead", "ready_with_mentor", "supervision_only", "not_recommended"}


@FAST
@given(ANSWERS, DATES, st.integers(0, 1))
def test_claiming_a_foil_never_lowers_the_claims_index(answers: dict[str, Any], on: dt.date, foil: int) -> None:
    before = _score(MINI, answers, on)["claims"]["index"]
    claimed = {**answers, "familiarity": {**answers["familiarity"], f"f{foil}": 6}}
    assert _score(MINI, claimed, on)["claims"]["index"] >= before


@FAST
@given(ANSWERS, DATES)
def test_a_better_situational_answer_never_lowers_its_dimension(answers: dict[str, Any], on: dt.date) -> None:
    before = _score(MINI, answers, on)["evidence"]["dimensions"]["strategy"]["score"]
    worst = answers["sjt_strategy"]["worst"]
    better_best = "a" if worst != "a" else answers["sjt_strategy"]["best"]
    improved = {**answers, "sjt_strategy": {"best": better_best, "worst": worst}}
    assert _score(MINI, improved, on)["evidence"]["dimensions"]["strategy"]["score"] >= before
    if answers["sjt_strategy"]["best"] != "d":
        keyed_worst = {**answers, "sjt_strategy": {"best": answers["sjt_strategy"]["best"], "worst": "d"}}
        assert _score(MINI, keyed_worst, on)["evidence"]["dimensions"]["strategy"]["score"] >= before


@FAST
@given(ANSWERS, DATES, st.sampled_from(["nl", "en"]))
def test_determinism(answers: dict[str, Any], on: dt.date, lang: str) -> None:
    one = json.dumps(score(MINI, answers, at=on, lang=lang), ensure_ascii=False, sort_keys=False)
    two = json.dumps(score(MINI, dict(answers), at=on, lang=lang), ensure_ascii=False, sort_keys=False)
    assert one == two
