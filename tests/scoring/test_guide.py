"""The interview guide builder: fired signals, open claims and thin dimensions pick their questions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from app.questionnaires.loader import load_bank, load_interview_guide
from app.scoring import engine, guide
from app.scoring.guide import InterviewGuide
from app.scoring.model import DIMENSIONS, SIGNALS

ROOT = Path(__file__).resolve().parents[2]
BANK = {q.id: q for q in load_bank(ROOT / "questions")}
GUIDE = load_interview_guide(ROOT / "questions")


def _self_test(persona: str, lang: str = "en") -> dict[str, Any]:
    compiled = engine.compile_bundle(BANK["self-test"].bundle)
    answers = json.loads((ROOT / "questions" / "examples" / f"self-test--{persona}.json").read_text())["answers"]
    return engine.score(compiled, answers, at=dt.date(2026, 11, 28), lang=lang)


def _built(persona: str, lang: str = "en") -> dict[str, Any]:
    assert GUIDE is not None
    weak_below = BANK["self-test"].bundle.policy.weak_below
    return guide.build(GUIDE, _self_test(persona, lang), weak_below=weak_below, lang=lang)


def test_shipped_guide_covers_every_signal_and_dimension() -> None:
    assert GUIDE is not None
    assert set(GUIDE.signals) == set(SIGNALS)
    assert set(GUIDE.dimensions) == set(DIMENSIONS)
    hr_items = {i.id for i in BANK["hr-assessment"].bundle.questionnaire.items()}
    bars = {i.id for i in BANK["hr-assessment"].bundle.questionnaire.items() if i.type == "bars"}
    linked = {item for q in GUIDE.all_questions() for item in q.hr_items}
    assert linked <= hr_items
    assert bars <= linked  # every behaviourally anchored scale has a question that draws it out


def test_guru_gets_a_question_for_every_fired_signal_and_every_dimension() -> None:
    result = _self_test("guru")
    built = _built("guru")
    fired = [s["code"] for s in result["claims"]["signals"]]
    assert [s["code"] for s in built["signals"]] == fired
    assert "impossible_tenure" in fired and "foils_claimed" in fired
    tenure = next(s for s in built["signals"] if s["code"] == "impossible_tenure")
    assert tenure["questions"][0]["id"] == "tenure_timeline"
    assert "tenure_checked" in tenure["questions"][0]["hr_items"]
    assert "Facebook" in tenure["reason"]  # HR sees which claim to test
    assert [c["item"] for c in built["unconfirmed"]] == [c["item"] for c in result["claims"]["unconfirmed"]]
    assert {d["dimension"] for d in built["dimensions"]} == {d.value for d in DIMENSIONS}
    assert {d["status"] for d in built["dimensions"]} == {"weak"}


def test_midlevel_gets_only_what_is_thin() -> None:
    result = _self_test("midlevel")
    built = _built("midlevel")
    assert [s["code"] for s in built["signals"]] == ["vanity_metrics"]
    scores = {d: v["score"] for d, v in result["evidence"]["dimensions"].items()}
    thin = {d for d, s in scores.items() if s < GUIDE.thin_below} if GUIDE else set()
    assert thin == {"roi"}  # 56: not weak, but thin
    assert [(d["dimension"], d["status"]) for d in built["dimensions"]] == [("roi", "thin")]
    assert {q["hr_items"][0] for q in built["dimensions"][0]["questions"]} == {
        "bars_measures_in_money",
        "bars_roi_reasoning",
    }


def test_guide_speaks_the_language_asked_for() -> None:
    dutch = _built("guru", "nl")
    english = _built("guru", "en")
    assert dutch["language"] == "nl"
    tenure_nl, tenure_en = (next(s for s in b["signals"] if s["code"] == "impossible_tenure") for b in (dutch, english))
    assert tenure_nl["questions"][0]["ask"] != tenure_en["questions"][0]["ask"]
    assert "Loop met me door je jaren" in tenure_nl["questions"][0]["ask"]


def test_over_claimed_and_unmeasured_dimensions_are_asked_about() -> None:
    assert GUIDE is not None
    result = {
        "evidence": {"dimensions": {"strategy": {"score": 80.0, "label": "S"}, "roi": {"score": None, "label": "R"}}},
        "calibration": {"dimensions": {"strategy": {"code": "over_claiming"}}},
    }
    built = guide.build(GUIDE, result, weak_below=45, lang="en")
    statuses = {d["dimension"]: d["status"] for d in built["dimensions"]}
    assert statuses["strategy"] == "over_claimed"
    assert statuses["roi"] == "not_measured"
    assert statuses["leadership"] == "not_measured"  # absent from the result: nothing observed


def test_questions_per_hr_item_for_the_form() -> None:
    assert GUIDE is not None
    beside = guide.by_hr_item(GUIDE, "en")
    assert [q["id"] for q in beside["bars_goals_before_channels"]] == ["goals_before_channels"]


def _guide_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "questions" / "data" / "interview-guide.yaml").read_text())
    return data


def test_a_guide_missing_a_signal_is_refused() -> None:
    data = _guide_data()
    del data["signals"]["closed_accounts"]
    with pytest.raises(ValidationError, match="missing: closed_accounts"):
        InterviewGuide.model_validate(data)


def test_repeated_question_ids_are_refused() -> None:
    data = _guide_data()
    data["signals"]["self_title"][0]["id"] = "tenure_timeline"
    with pytest.raises(ValidationError, match="repeated: tenure_timeline"):
        InterviewGuide.model_validate(data)
