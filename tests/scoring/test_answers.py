"""Answer validation (app/scoring/answers.py): every problem names the item and what was wrong."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from app.questionnaires.loader import BankError, load_bank
from app.scoring import model as m
from app.scoring.answers import check_answer, validate_answers
from tests.scoring.conftest import DATA, SELF_TEST, opt, t

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
PROFILES = Path(__file__).parent / "profiles"

# The options that rule out every other option of their item: "none", "nobody", "not applicable".
EXCLUSIVE = {
    ("self-test", "involve_before_launch", "nobody_inform_after"),
    ("hr-assessment", "references_confirmed_what", "not_applicable"),
    ("role-assessment", "departments_served", "no_other_department"),
    ("reference-check", "departments", "none_seen"),
}


@pytest.fixture(scope="module")
def shipped() -> dict[str, m.Questionnaire]:
    return {q.id: q.bundle.questionnaire for q in load_bank(QUESTIONS)}


def _item(questionnaire: m.Questionnaire, item_id: str) -> m.Item:
    return next(i for i in questionnaire.items() if i.id == item_id)


def test_the_shipped_none_options_are_exclusive(shipped: dict[str, m.Questionnaire]) -> None:
    # "Only the agency" beside marketing, and "only generally positive" beside the role confirmed, are answers
    # the panel gives (tests/panel): those options qualify the others, they do not rule them out.
    found = {
        (qid, item.id, option.id)
        for qid, questionnaire in shipped.items()
        for item in questionnaire.items()
        for option in getattr(item, "options", ())
        if option.exclusive
    }
    assert found == EXCLUSIVE


@pytest.mark.parametrize(("qid", "item_id", "alone"), sorted(EXCLUSIVE))
def test_an_exclusive_option_is_refused_beside_another_and_named(
    shipped: dict[str, m.Questionnaire], qid: str, item_id: str, alone: str
) -> None:
    item = _item(shipped[qid], item_id)
    assert isinstance(item, m.MultipleChoiceItem)
    other = next(o.id for o in item.options if not o.exclusive and o.scored)
    assert check_answer(item, [alone]) is None
    assert check_answer(item, [other]) is None
    problem = check_answer(item, [other, alone])
    assert problem == f"'{alone}' excludes every other option; choose it alone or leave it out, got it with ['{other}']"
    errors = validate_answers(shipped[qid], {item_id: [alone, other]}, complete=False)
    assert [(e.item_id, e.message) for e in errors] == [(item_id, check_answer(item, [alone, other]))]


def test_departments_served_cannot_be_none_and_marketing(shipped: dict[str, m.Questionnaire]) -> None:
    # The audit's case: "no other department" together with a department.
    item = _item(shipped["role-assessment"], "departments_served")
    problem = check_answer(item, ["marketing", "no_other_department"])
    assert problem is not None and "'no_other_department'" in problem and "['marketing']" in problem


def _mini(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SELF_TEST)
    kpis = next(i for s in data["sections"] for i in s["items"] if i["id"] == "kpis")
    kpis["options"].append(opt("none_of_these", 0, exclusive=True))
    kpis.update(changes)
    return data


def test_the_format_accepts_exclusive_on_a_multiple_choice_option_only() -> None:
    questionnaire = m.Questionnaire.model_validate(_mini())
    kpis = _item(questionnaire, "kpis")
    assert [o.id for o in getattr(kpis, "options", ()) if o.exclusive] == ["none_of_these"]
    with pytest.raises(ValidationError, match="min_choices: 2 leaves no way to choose the exclusive option"):
        m.Questionnaire.model_validate(_mini(min_choices=2))
    single = copy.deepcopy(SELF_TEST)
    crisis = next(i for s in single["sections"] for i in s["items"] if i["id"] == "crisis")
    crisis["options"][0]["exclusive"] = True
    with pytest.raises(ValidationError, match="'exclusive' is for the options of a multiple_choice item"):
        m.Questionnaire.model_validate(single)


def test_exclusive_on_a_single_choice_names_file_item_and_field(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    data = copy.deepcopy(SELF_TEST)
    crisis = next(i for s in data["sections"] for i in s["items"] if i["id"] == "crisis")
    crisis["options"][0]["exclusive"] = True
    (tmp_path / "mini-self.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(BankError) as info:
        load_bank(tmp_path)
    message = str(info.value)
    assert "mini-self.yaml" in message and "item 'crisis'" in message and "'exclusive'" in message


def test_an_unmarked_option_keeps_its_version() -> None:
    # A questionnaire that marks nothing exclusive dumps as before: its content hash (its version) is unchanged.
    plain = m.Option.model_validate(opt("leads", 2))
    assert "exclusive" not in plain.model_dump(mode="json")
    marked = m.Option.model_validate(opt("none", 0, exclusive=True, text=t("None")))
    assert marked.model_dump(mode="json")["exclusive"] is True


def test_engine_test_profiles_are_valid_answers(shipped: dict[str, m.Questionnaire]) -> None:
    for path in sorted(PROFILES.glob("*.json")):
        answers = json.loads(path.read_text(encoding="utf-8"))
        assert validate_answers(shipped["self-test"], answers) == [], path.name
