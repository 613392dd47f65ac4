"""The referee questionnaire: validated like the others, and sample answers score as a referee meant them."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from app.questionnaires.loader import BankError, load_bank
from app.scoring import model as m
from app.scoring.answers import validate_answers
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.engine import score

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
ON = dt.date(2026, 11, 28)
CONFIRMING: dict[str, Any] = {
    "relation": "manager",
    "years_together": "over_two_years",
    "ref_strategy": 5,
    "ref_roi": 4,
    "ref_corporate_communication": 4,
    "ref_integration": 5,
    "ref_leadership": 4,
    "ref_track_record": 5,
    "claim_years": "confirmed",
    "claim_results": "confirmed",
    "claim_platform_years": "cannot_judge",
    "departments": ["marketing", "communication", "sales"],
    "hire_again": "without_doubt",
    "hire_again_why": "She tied every campaign to a sales target and trained the team.",
}


@pytest.fixture(scope="module")
def compiled() -> Compiled:
    loaded = {q.id: q for q in load_bank(QUESTIONS)}
    return compile_bundle(loaded["reference-check"].bundle)


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((QUESTIONS / "reference-check.yaml").read_text(encoding="utf-8"))
    return data


def _items(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for s in data["sections"] for i in s["items"]}


def test_reference_check_asks_every_dimension_with_not_observed(compiled: Compiled) -> None:
    q = compiled.questionnaire
    assert q.kind is m.Kind.REFERENCE_CHECK
    bars = [i for i in q.items() if isinstance(i, m.BarsItem)]
    assert {i.dimension for i in bars} == set(m.Dimension)
    assert all(i.allow_not_observed for i in bars)
    shown = {claim for i in q.items() for claim in i.shows_claims}
    assert {"years_in_profession", "documented_results", "platform_tenure"} <= shown
    departments = next(i for i in q.items() if i.id == "departments")
    assert isinstance(departments, m.MultipleChoiceItem)
    assert {"marketing", "communication", "pr", "sales", "hr"} <= {o.id for o in departments.options}
    assert compiled.source == "referee"


def test_a_confirming_referee_scores_high_and_fires_nothing(compiled: Compiled) -> None:
    assert validate_answers(compiled.questionnaire, CONFIRMING) == []
    result = score(compiled, CONFIRMING, at=ON, lang="en")
    dims = result["evidence"]["dimensions"]
    assert dims["strategy"]["score"] == 100.0
    assert dims["roi"]["score"] == 75.0
    # 5 on the scale, 3 of 5 departments, two claims confirmed, "without doubt": (100 + 60)/2 and so on
    assert dims["integration"]["score"] == 80.0
    assert dims["track_record"]["score"] == 100.0  # "cannot judge" leaves the score alone
    assert result["claims"]["signals"] == []
    assert dims["track_record"]["sources"] == {"referee": 100.0}


def test_a_contradicted_claim_fires_unverified_claims(compiled: Compiled) -> None:
    answers = CONFIRMING | {"claim_years": "contradicted", "claim_results": "partly", "hire_again": "not_again"}
    result = score(compiled, answers, at=ON, lang="nl")
    fired = {s["code"]: s for s in result["claims"]["signals"]}
    assert set(fired) == {"unverified_claims"}
    assert [a["item"] for a in fired["unverified_claims"]["answers"]] == ["claim_years"]
    assert result["evidence"]["dimensions"]["track_record"]["score"] < 100.0


def test_not_observed_leaves_a_dimension_unmeasured(compiled: Compiled) -> None:
    answers = CONFIRMING | {"ref_leadership": None, "ref_corporate_communication": None}
    result = score(compiled, answers, at=ON, lang="en")
    dims = result["evidence"]["dimensions"]
    assert dims["leadership"]["score"] is None
    assert dims["corporate_communication"]["score"] is None
    assert dims["strategy"]["score"] == 100.0


def test_an_option_outside_the_scale_is_refused_naming_the_item(compiled: Compiled) -> None:
    problems = validate_answers(compiled.questionnaire, CONFIRMING | {"ref_roi": 9, "claim_years": "maybe"})
    text = " ".join(str(p) for p in problems)
    assert "ref_roi" in text and "claim_years" in text


def test_reference_check_without_a_dimension_is_refused() -> None:
    data = _raw()
    data["sections"][1]["items"] = [i for i in data["sections"][1]["items"] if i["id"] != "ref_roi"]
    with pytest.raises(ValidationError, match="every dimension; missing: roi"):
        m.Questionnaire.model_validate(data)


def test_claim_check_needs_confirmed_and_contradicted() -> None:
    data = _raw()
    item = _items(data)["claim_years"]
    for option in item["options"]:
        if option.get("confirms") == "contradicted":
            del option["confirms"]
    with pytest.raises(ValidationError, match="item 'claim_years' shows claims"):
        m.Questionnaire.model_validate(data)


def test_confirms_without_shown_claims_is_refused() -> None:
    data = _raw()
    del _items(data)["claim_results"]["shows_claims"]
    with pytest.raises(ValidationError, match="'claim_results' has options with 'confirms' but no 'shows_claims'"):
        m.Questionnaire.model_validate(data)


def test_a_shown_claim_must_be_a_self_test_item(tmp_path: Path) -> None:
    bank = tmp_path / "questions"
    shutil.copytree(QUESTIONS, bank, ignore=shutil.ignore_patterns("examples"))
    data = copy.deepcopy(_raw())
    _items(data)["claim_years"]["shows_claims"] = ["years_of_fame"]
    (bank / "reference-check.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    assert any(
        "reference-check.yaml: item 'claim_years' field 'shows_claims': 'years_of_fame'" in e
        for e in caught.value.errors
    ), caught.value.errors


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def test_the_new_fields_leave_older_questionnaire_versions_unchanged() -> None:
    loaded = {q.id: q for q in load_bank(QUESTIONS)}
    assert not {"shows_claims", "confirms"} & _keys(loaded["self-test"].definition["questionnaire"])
    assert {"shows_claims", "confirms"} <= _keys(loaded["reference-check"].definition["questionnaire"])
