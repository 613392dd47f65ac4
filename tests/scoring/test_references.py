"""Referees in the combined result: weighed between self-report and HR, claims confirmed or contradicted,
agreement per dimension, and fraud signals that change nothing but are shown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.questionnaires.loader import load_bank
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.engine import Part, score_combined
from app.scoring.references import RefereeInput, References

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
ON = dt.date(2026, 11, 28)
GOOD: dict[str, Any] = {
    "relation": "manager",
    "years_together": "over_two_years",
    "ref_strategy": 4,
    "ref_roi": 4,
    "ref_corporate_communication": None,
    "ref_integration": 5,
    "ref_leadership": 4,
    "ref_track_record": 4,
    "claim_years": "confirmed",
    "claim_results": "confirmed",
    "claim_platform_years": "cannot_judge",
    "departments": ["marketing", "sales", "hr"],
    "hire_again": "without_doubt",
}


@pytest.fixture(scope="module")
def bank() -> dict[str, Compiled]:
    return {q.id: compile_bundle(q.bundle) for q in load_bank(QUESTIONS)}


def _answers(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((QUESTIONS / "examples" / f"{name}.json").read_text(encoding="utf-8"))
    return doc["answers"]  # type: ignore[no-any-return]


def _referee(bank: dict[str, Compiled], rid: int, answers: dict[str, Any], **facts: Any) -> RefereeInput:
    defaults: dict[str, Any] = {"email_domain": f"firm{rid}.nl", "network": f"net{rid}", "seconds": 600.0}
    return RefereeInput(
        rid, f"Referee {rid}", str(answers["relation"]), bank["reference-check"], answers, **(defaults | facts)
    )


def _combined(bank: dict[str, Compiled], refs: References | None, lang: str = "en") -> dict[str, Any]:
    parts = [
        Part(bank["self-test"], _answers("self-test--midlevel")),
        Part(bank["hr-assessment"], _answers("hr-assessment--midlevel")),
    ]
    return score_combined(parts, at=ON, lang=lang, refs=refs)


def test_without_referees_the_result_is_unchanged(bank: dict[str, Compiled]) -> None:
    plain = _combined(bank, None)
    assert "references" not in plain
    empty = _combined(bank, References(()))
    assert {k: v for k, v in empty.items() if k != "references"} == plain
    assert empty["references"]["claims"] == [] and empty["references"]["fraud_signals"] == []


def test_referees_weigh_between_self_report_and_hr(bank: dict[str, Compiled]) -> None:
    result = _combined(bank, References((_referee(bank, 1, GOOD), _referee(bank, 2, GOOD | {"relation": "colleague"}))))
    strategy = result["evidence"]["dimensions"]["strategy"]
    sources = strategy["sources"]
    assert sources["referee"] == 75.0  # 4 on the 1-5 scale, both referees
    weights = result["references"]["weights"]
    assert weights["self"] < weights["referee"] < weights["hr"]
    expected = (sources["self"] * weights["self"] + sources["hr"] * weights["hr"] + 75.0 * weights["referee"]) / sum(
        weights.values()
    )
    assert strategy["score"] == pytest.approx(expected, abs=0.1)
    # Two referees share the referees' weight: a second identical statement changes nothing.
    one = _combined(bank, References((_referee(bank, 1, GOOD),)))
    assert one["evidence"]["dimensions"]["strategy"]["score"] == strategy["score"]


def test_confirmed_claims_leave_the_unconfirmed_list(bank: dict[str, Compiled]) -> None:
    before = {c["item"] for c in _combined(bank, None)["claims"]["unconfirmed"]}
    # HR found the years consistent with the CV (tenure_checked) and the results only plausible: the years are
    # confirmed already, the documented results are not.
    assert "documented_results" in before and "years_in_profession" not in before
    result = _combined(bank, References((_referee(bank, 1, GOOD),)))
    after = {c["item"] for c in result["claims"]["unconfirmed"]}
    assert after == before - {"documented_results"}  # nobody confirmed the rest
    claims = {c["claim"]: c for c in result["references"]["claims"]}
    assert claims["years_in_profession"]["confirmed_by"] == [1]
    assert claims["platform_tenure"]["not_judged_by"] == [1]


def test_a_contradicted_claim_counts_against_the_claims_index(bank: dict[str, Compiled]) -> None:
    base = _combined(bank, References((_referee(bank, 1, GOOD),)))
    liar = GOOD | {"claim_results": "contradicted"}
    result = _combined(bank, References((_referee(bank, 1, GOOD), _referee(bank, 2, liar))))
    assert result["claims"]["index"] > base["claims"]["index"]
    fired = {s["code"]: s for s in result["claims"]["signals"]}
    assert "claim_results" in [a["item"] for a in fired["unverified_claims"]["answers"]]
    assert "referee" in fired["unverified_claims"]["reason"]
    claims = {c["claim"]: c for c in result["references"]["claims"]}
    assert claims["documented_results"]["contradicted_by"] == [2]
    # Confirmed by one and contradicted by another: it stays a claim to verify.
    assert "documented_results" in {c["item"] for c in result["claims"]["unconfirmed"]}


def test_agreement_per_dimension(bank: dict[str, Compiled]) -> None:
    differ = GOOD | {"ref_roi": 1, "relation": "client"}
    result = _combined(bank, References((_referee(bank, 1, GOOD), _referee(bank, 2, differ))), lang="nl")
    dims = result["references"]["dimensions"]
    assert dims["strategy"]["agreement"] == "agree" and dims["strategy"]["spread"] == 0.0
    assert dims["roi"]["agreement"] == "disagree" and dims["roi"]["agreement_label"] == "Referenten verschillen"
    assert dims["corporate_communication"]["agreement"] == "not_observed"
    assert [o["referee"] for o in dims["integration"]["observations"]] == [1, 2]


def test_fraud_signals_are_shown_and_change_nothing(bank: dict[str, Compiled]) -> None:
    clean = _combined(
        bank,
        References(
            (
                _referee(bank, 1, GOOD),
                _referee(
                    bank,
                    2,
                    GOOD
                    | {
                        "ref_roi": 2,
                        "hire_again": "with_support",
                        "departments": ["marketing"],
                        "claim_platform_years": "partly",
                    },
                ),
            )
        ),
        lang="en",
    )
    assert clean["references"]["fraud_signals"] == []
    suspicious = References(
        (
            _referee(bank, 1, GOOD, email_domain="candidate.nl", network="net-c", seconds=45.0),
            _referee(bank, 2, GOOD, email_domain="gmail.com"),
            _referee(bank, 3, GOOD | {"relation": "colleague"}, email_domain="gmail.com"),
        ),
        candidate_domain="Candidate.nl",
        candidate_networks=frozenset({"net-c"}),
    )
    result = _combined(bank, suspicious)
    flags = {s["code"]: s["referees"] for s in result["references"]["fraud_signals"]}
    assert flags == {
        "own_domain": [1],
        "free_mail_manager": [2],
        "candidate_network": [1],
        "too_fast": [1],
        "identical_answers": [1, 2, 3],
    }
    fast = next(s for s in result["references"]["fraud_signals"] if s["code"] == "too_fast")
    assert "45 seconds" in fast["reason"]
    same_evidence = _combined(bank, References(tuple(_referee(bank, i, GOOD) for i in (1, 2, 3))))
    assert result["evidence"] == same_evidence["evidence"] and result["verdict"] == same_evidence["verdict"]


def test_a_shared_free_mail_domain_is_not_the_candidates_own(bank: dict[str, Compiled]) -> None:
    refs = References(
        (_referee(bank, 1, GOOD | {"relation": "colleague"}, email_domain="gmail.com"),), candidate_domain="gmail.com"
    )
    assert _combined(bank, refs)["references"]["fraud_signals"] == []


def test_a_network_shared_by_referees_is_told_apart_from_the_candidates(bank: dict[str, Compiled]) -> None:
    refs = References(
        (
            _referee(bank, 1, GOOD, network="office"),
            _referee(bank, 2, GOOD | {"ref_roi": 2}, network="office"),
            _referee(bank, 3, GOOD | {"ref_strategy": 2}, network="home"),
        ),
        candidate_networks=frozenset({"home", "mobile"}),
    )
    signals = {s["code"]: s for s in _combined(bank, refs)["references"]["fraud_signals"]}
    assert signals["same_network"]["referees"] == [1, 2] and signals["candidate_network"]["referees"] == [3]
    assert signals["candidate_network"]["label"] == "Same network as the candidate"
    assert "shared office" in signals["candidate_network"]["reason"]
