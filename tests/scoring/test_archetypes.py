"""Realistic candidates an audit wrote before the held-out checks: the verdict PRODUCT.md's meanings give each.

Every profile is scored in English and Dutch: the verdict, its rule and the claim signals must not depend on
the language the result is written in.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.questionnaires.loader import load_bank
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.engine import score

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
PROFILES = Path(__file__).parent / "profiles"
DAY = dt.date(2026, 11, 30)
LANGS = ("en", "nl")


@pytest.fixture(scope="module")
def self_test() -> Compiled:
    return next(compile_bundle(q.bundle) for q in load_bank(QUESTIONS) if q.id == "self-test")


def both(compiled: Compiled, name: str) -> dict[str, dict[str, Any]]:
    answers = json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8"))
    return {lang: score(compiled, answers, at=DAY, lang=lang) for lang in LANGS}


def signals(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["code"]: s for s in result["claims"]["signals"]}


def dims(result: dict[str, Any]) -> dict[str, float | None]:
    return {d: e["score"] for d, e in result["evidence"]["dimensions"].items()}


def same_everywhere(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    en, nl = results["en"], results["nl"]
    assert (en["verdict"]["code"], en["verdict"]["rule"]) == (nl["verdict"]["code"], nl["verdict"]["rule"])
    assert en["calibration"]["code"] == nl["calibration"]["code"]
    assert set(signals(en)) == set(signals(nl))
    return en


@pytest.mark.parametrize(
    ("name", "verdict", "rule"),
    [
        # A PR/communications manager who handles crises and reports to the board, posts little personally and
        # is weak on ROI: capable, with a marketing mentor on ROI.
        ("pr-crisis-manager", "ready_with_mentor", "capable"),
        # Agency account manager with ROI in euros and modest self-ratings: strong everywhere, hidden talent.
        ("agency-account-manager-euros", "ready_to_lead", "senior"),
        # A graduate who knows the textbook but has never delivered a result: knowledge is not experience.
        ("marketing-graduate-nl", "supervision_only", "not_independent"),
        # 200k followers, success in followers and likes, rates themselves expert: the self-declared specialist.
        ("influencer-200k", "not_recommended", "little_evidence_heavy_claims"),
        ("influencer-200k-nl", "not_recommended", "little_evidence_heavy_claims"),
        # Fifteen years of TikTok, which launched (as Douyin) in September 2016.
        ("tiktok-15-years", "not_recommended", "little_evidence_heavy_claims"),
        # Answers well, but claims six of the eight invented terms: capable, verify the claims first.
        ("foils-otherwise-good", "ready_with_mentor", "capable_verify_claims"),
        # A real result in Dutch with Dutch number formats ("€ 12.500", "30%").
        ("dutch-real-result", "ready_with_mentor", "capable"),
        # Knows the field, but the result texts are buzzwords without one figure: no track record shown.
        ("buzzwords-no-figure-nl", "supervision_only", "not_independent"),
    ],
)
def test_archetype_verdicts(self_test: Compiled, name: str, verdict: str, rule: str) -> None:
    r = same_everywhere(both(self_test, name))
    assert (r["verdict"]["code"], r["verdict"]["rule"]) == (verdict, rule)
    required = verdict in ("ready_with_mentor", "supervision_only")
    assert r["mentoring"]["required"] is required
    if required:
        assert r["mentoring"]["discipline"] in ("marketing", "communication", "pr")


def test_pr_manager_without_personal_accounts_gets_a_marketing_mentor_on_roi(self_test: Compiled) -> None:
    r = same_everywhere(both(self_test, "pr-crisis-manager"))
    # No personal accounts is not "social with every account closed"; a fall in complaints is a result.
    assert "closed_accounts" not in signals(r)
    assert dims(r)["track_record"] == 50 and dims(r)["corporate_communication"] == 100
    assert r["mentoring"]["discipline"] == "marketing"
    assert "ROI & measurement" in r["mentoring"]["why"]


def test_modest_self_ratings_beside_strong_evidence_are_hidden_talent(self_test: Compiled) -> None:
    results = both(self_test, "agency-account-manager-euros")
    r = same_everywhere(results)
    assert r["calibration"]["code"] == "under_claiming" and "hidden talent" in r["calibration"]["reason"]
    assert r["claims"]["index"] == 0 and dims(r)["track_record"] == 100


def test_influencer_fires_the_claim_signals_in_either_language_of_the_text(self_test: Compiled) -> None:
    for name in ("influencer-200k", "influencer-200k-nl"):
        r = same_everywhere(both(self_test, name))
        fired = signals(r)
        assert {"self_title", "vanity_metrics", "self_rating_above_evidence"} <= set(fired)
        assert any(a["detail"].startswith("in their own text:") for a in fired["vanity_metrics"]["answers"])
        assert r["calibration"]["code"] == "over_claiming"
        assert dims(r)["track_record"] == 0


def test_impossible_tiktok_tenure_is_named_against_its_launch(self_test: Compiled) -> None:
    results = both(self_test, "tiktok-15-years")
    fired = signals(same_everywhere(results))
    assert "impossible_tenure" in fired
    assert "claimed 15 years on TikTok" in fired["impossible_tenure"]["answers"][0]["detail"]
    assert "september 2016" in signals(results["nl"])["impossible_tenure"]["answers"][0]["detail"]


def test_invented_terms_are_named_for_checking(self_test: Compiled) -> None:
    r = same_everywhere(both(self_test, "foils-otherwise-good"))
    assert len(signals(r)["foils_claimed"]["answers"]) == 6
    # Six of the eight invented terms is over-claiming by itself (as impossible years are), however good the rest.
    assert r["calibration"]["code"] == "over_claiming" and "claims index" in r["calibration"]["reason"]
    assert any("Knows terms that do not exist" in x["text"] for x in r["verdict"]["reasons"] if x["kind"] == "verify")


def test_dutch_number_formats_make_a_concrete_result(self_test: Compiled) -> None:
    results = both(self_test, "dutch-real-result")
    r = same_everywhere(results)
    assert dims(r)["track_record"] == 100
    story = next(
        i
        for i in results["nl"]["evidence"]["dimensions"]["track_record"]["explanation"]["items"]
        if i["item"] == "result_story"
    )
    assert "€ 12.500" in story["detail"] and story["points"] == story["max_points"]
    assert "buzzword_density" not in signals(r)


def test_buzzwords_without_a_figure_fire_on_dutch_text(self_test: Compiled) -> None:
    results = both(self_test, "buzzwords-no-figure-nl")
    r = same_everywhere(results)
    details = " ".join(a["detail"] for a in signals(r)["buzzword_density"]["answers"])
    assert "synergie" in details and "growth hacking" in details and "holistische" in details
    assert dims(r)["track_record"] < 40
    assert any("track record" in x["text"] for x in r["verdict"]["reasons"] if x["kind"] == "unmet")


def test_a_senior_who_leaves_both_result_texts_empty_is_not_judged_on_a_guess(self_test: Compiled) -> None:
    # Senior answers everywhere, both free texts left empty. Self-reported years, references and "several
    # documented results" earn nothing on their own, so nothing at all was observed on the track record.
    # "Only under supervision" would say the person lacks strategy, ROI and corporate weight, while those are
    # 94 to 100: that is a guess. Insufficient evidence, naming what is missing, is what PRODUCT.md means.
    # Not a file in profiles/: the candidate pages and the API refuse a required text left empty, so the engine
    # meets it from callers that do not validate first (and an HR assessment with no result observed).
    senior = json.loads((QUESTIONS / "examples" / "self-test--senior.json").read_text())["answers"]
    answers = {k: v for k, v in senior.items() if k not in ("result_story", "result_with_others")}
    results = {lang: score(self_test, answers, at=DAY, lang=lang) for lang in LANGS}
    r = same_everywhere(results)
    assert dims(r)["track_record"] is None and r["evidence"]["overall"] >= 90
    assert (r["verdict"]["code"], r["verdict"]["rule"]) == ("insufficient_evidence", "unobserved")
    said = [(x["kind"], x["text"]) for x in r["verdict"]["reasons"]]
    assert said[0][0] == "decided"
    assert said[0][1].startswith("Too little observed to judge: nothing was observed on track record")
    assert ("unmet", "Why not 'Ready to lead': track record not measured (needed: at least 50)") in said
    assert results["nl"]["verdict"]["reasons"][0]["text"].startswith(
        "Te weinig waargenomen om te oordelen: over aantoonbare resultaten is niets waargenomen"
    )
    assert r["mentoring"]["required"] is False and r["mentoring"]["discipline"] is None
    # One result text with a figure is enough to judge: the senior they otherwise look like.
    answers["result_story"] = (
        "For a regional energy supplier, a LinkedIn programme with sales produced 310 qualified leads and "
        "€1.2 million in signed contracts in twelve months."
    )
    assert score(self_test, answers, at=DAY)["verdict"]["code"] == "ready_to_lead"


def test_weak_answers_with_empty_result_texts_stay_under_supervision(self_test: Compiled) -> None:
    # An unobserved track record only turns a judgement into "insufficient evidence" when it alone kept a
    # better verdict away: someone weak on strategy and ROI stays under supervision whatever their results.
    nephew = json.loads((QUESTIONS / "examples" / "self-test--nephew.json").read_text())["answers"]
    answers = {k: v for k, v in nephew.items() if k not in ("result_story", "result_with_others")}
    r = score(self_test, answers, at=DAY)
    assert r["verdict"]["code"] == "supervision_only"
