"""The engine's rules on a small synthetic bank: each rule, the contract, determinism."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.engine import score
from tests.scoring.conftest import SELF_TEST, STRONG, WEAK, make_bundle

DAY = dt.date(2026, 11, 28)


def run(mini: Compiled, answers: dict[str, Any], lang: str = "en", **changes: Any) -> dict[str, Any]:
    return score(mini, {**answers, **changes}, at=DAY, lang=lang)


def dim(result: dict[str, Any], name: str) -> float:
    return float(result["evidence"]["dimensions"][name]["score"])


def signals(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["code"]: s for s in result["claims"]["signals"]}


def test_contract_keys(mini: Compiled) -> None:
    r = run(mini, STRONG)
    for key in (
        "questionnaire",
        "scored_at",
        "engine_version",
        "evidence",
        "claims",
        "overclaiming",
        "calibration",
        "verdict",
        "mentoring",
        "role",
    ):
        assert key in r
    assert r["questionnaire"]["version"] == mini.content_hash
    assert set(r["evidence"]["dimensions"]) == {
        "strategy",
        "roi",
        "corporate_communication",
        "integration",
        "leadership",
        "track_record",
    }
    assert set(r["overclaiming"]) >= {"hit_rate", "false_alarm_rate", "d_prime", "c", "accuracy", "bias"}
    assert r["scored_at"] == "2026-11-28"


@pytest.mark.parametrize(
    ("best", "worst", "expected"),
    [("a", "d", 100.0), ("a", "b", 75.0), ("b", "c", 50.0), ("d", "a", 0.0), ("d", "b", 25.0), ("b", "a", 25.0)],
)
def test_sjt_best_worst_scoring(mini: Compiled, best: str, worst: str, expected: float) -> None:
    # key: best a, worst d. +1 keyed best, +1 keyed worst, -1 for each swapped; (raw + 2) / 4.
    r = run(mini, STRONG, sjt_strategy={"best": best, "worst": worst})
    assert dim(r, "strategy") == expected


@pytest.mark.parametrize(("given", "share"), [(87.5, 1.0), (87.9, 1.0), (90, 0.5), (80, 0.0), (8750, 0.0)])
def test_numeric_tolerance(mini: Compiled, given: float, share: float) -> None:
    r = run(mini, STRONG, roi_calc=given)
    items = {i["item"]: i for i in r["evidence"]["dimensions"]["roi"]["explanation"]["items"]}
    assert items["roi_calc"]["points"] == pytest.approx(items["roi_calc"]["max_points"] * share, abs=0.1)


def test_explanations_add_up_to_the_score(mini: Compiled) -> None:
    for answers in (STRONG, WEAK):
        r = run(mini, answers, kpis=["leads", "likes"], crisis="delete")
        for d in r["evidence"]["dimensions"].values():
            if d["score"] is not None:
                assert sum(i["points"] for i in d["explanation"]["items"]) == pytest.approx(d["score"], abs=0.3)
        total = sum(s["contribution"] for s in r["claims"]["signals"])
        assert total == pytest.approx(r["claims"]["index"], abs=0.5)


def test_strong_and_weak_profiles(mini: Compiled) -> None:
    strong, weak = run(mini, STRONG), run(mini, WEAK)
    assert strong["claims"]["index"] == 0
    assert strong["verdict"]["code"] == "ready_to_lead"
    assert weak["verdict"]["code"] == "not_recommended"
    assert weak["calibration"]["code"] == "over_claiming"
    assert set(signals(weak)) >= {
        "self_title",
        "vanity_metrics",
        "impossible_tenure",
        "foils_claimed",
        "buzzword_density",
        "closed_accounts",
        "self_rating_above_evidence",
    }


def test_impossible_tenure_names_platform_and_dates(mini: Compiled) -> None:
    r = run(mini, STRONG, tenure={"instagram": 20, "linkedin": 3})
    fired = signals(r)["impossible_tenure"]
    assert len(fired["answers"]) == 1
    assert "Instagram" in fired["answers"][0]["detail"] and "6 October 2010" in fired["answers"][0]["detail"]


def test_foils_feed_overclaiming_indices(mini: Compiled) -> None:
    r = run(mini, STRONG, familiarity={**STRONG["familiarity"], "f0": 5})
    oc = r["overclaiming"]
    assert oc["false_alarm_rate"] == 0.5 and oc["hit_rate"] == 1.0
    assert oc["foils_claimed"] == ["foil 0"]
    # H = 8.5/9 (corrected), FA = 1/2: c = -(1.593 + 0) / 2 = -0.797, d' = 1.593. Strength from the
    # policy: clamp((0.797 - 0.4) / 1.2) * clamp((4 - 1.593) / 2) = 0.331 * 1.
    assert oc["c"] == pytest.approx(-0.7966, abs=1e-3) and oc["d_prime"] == pytest.approx(1.5932, abs=1e-3)
    assert signals(r)["foils_claimed"]["strength"] == pytest.approx(0.3305, abs=1e-3)


def test_buzzwords_found_in_text_and_halved_by_concrete_results(mini: Compiled) -> None:
    vague = "We created synergy and a game changer with viral storytelling for our brand this year, next level."
    concrete = vague + " It brought 40 leads and 12% more revenue."
    a = signals(run(mini, STRONG, result=vague))["buzzword_density"]
    b = signals(run(mini, STRONG, result=concrete))["buzzword_density"]
    assert "synergy" in a["answers"][0]["detail"]
    assert b["strength"] < a["strength"]


def test_free_text_evidence_and_rubric(mini: Compiled) -> None:
    vague = run(mini, STRONG, result="I did a lot of nice things on social media for the company.")
    assert dim(vague, "track_record") == 0
    rated = score(mini, STRONG, at=DAY, lang="en", rubric={"result": 2})
    assert dim(rated, "track_record") == pytest.approx(66.7, abs=0.1)


def test_self_rating_above_evidence_and_under_claiming(mini: Compiled) -> None:
    # Weak strategy answers but a top self-rating: the signal fires with the item behind it.
    r = run(mini, STRONG, sjt_strategy={"best": "d", "worst": "a"}, self_strategy=5)
    fired = signals(r)["self_rating_above_evidence"]
    assert fired["answers"][0]["item"] == "self_strategy"
    assert r["calibration"]["dimensions"]["strategy"]["code"] == "over_claiming"
    modest = run(mini, STRONG, self_strategy=1)
    assert modest["calibration"]["dimensions"]["strategy"]["code"] == "under_claiming"
    assert modest["calibration"]["code"] == "under_claiming"


def test_verdict_reasons_name_the_unmet_condition(mini: Compiled) -> None:
    r = run(mini, STRONG, roi_calc=1, kpis=["leads", "likes"])  # ROI drops below the lead threshold
    assert r["verdict"]["code"] != "ready_to_lead"
    unmet = [x["text"] for x in r["verdict"]["reasons"] if x["kind"] == "unmet"]
    assert any("Ready to lead" in t and "ROI" in t for t in unmet)


def test_mentoring_discipline_follows_the_weakest_dimensions(mini: Compiled) -> None:
    # Strategy and ROI weak, corporate communication strong -> a marketing mentor.
    r = run(mini, STRONG, sjt_strategy={"best": "b", "worst": "c"}, roi_calc=1, kpis=["leads", "likes"])
    assert r["mentoring"]["discipline"] == "marketing"
    assert {f["dimension"] for f in r["mentoring"]["focus"]} >= {"roi", "strategy"}
    # Only corporate communication weak -> communication: tone, approval and crisis handling are the
    # communication professional's core (PR shares them, with a smaller weight).
    r = run(mini, STRONG, crisis="double_down")
    assert r["mentoring"]["discipline"] == "communication"
    assert r["mentoring"]["focus"][0]["points"]


def test_languages(mini: Compiled) -> None:
    en, nl = run(mini, WEAK, "en"), run(mini, WEAK, "nl")
    assert en["verdict"]["label"] == "Not recommended" and nl["verdict"]["label"] == "Niet aanbevolen"
    assert en["evidence"]["dimensions"]["roi"]["score"] == nl["evidence"]["dimensions"]["roi"]["score"]


def test_deterministic_byte_for_byte(mini: Compiled) -> None:
    one = json.dumps(run(mini, WEAK), ensure_ascii=False)
    two = json.dumps(run(mini, dict(reversed(list(WEAK.items())))), ensure_ascii=False)
    assert one == two


def test_unanswered_optional_items_do_not_score(mini: Compiled) -> None:
    answers = {k: v for k, v in STRONG.items() if k != "tenure"}
    assert run(mini, answers)["tenure"] == []


def test_negative_option_points_keep_a_dimension_on_its_scale() -> None:
    # An organisation's own questionnaire may give a bad option negative points: the dimension stays 0-100.
    questionnaire = copy.deepcopy(SELF_TEST)
    crisis = next(i for s in questionnaire["sections"] for i in s["items"] if i["id"] == "crisis")
    crisis["options"][2]["points"] = -3
    compiled = compile_bundle(make_bundle(questionnaire))
    r = run(compiled, STRONG, crisis="double_down")
    assert dim(r, "corporate_communication") == 0.0
    assert 0.0 <= r["evidence"]["overall"] <= 100.0
