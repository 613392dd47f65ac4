"""The loader: a broken bank names the file, the item, the field and the line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.questionnaires.loader import BankError, load_bank
from tests.scoring.conftest import DATA, SELF_TEST


@pytest.fixture()
def bank(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "mini-self.yaml").write_text(yaml.safe_dump(SELF_TEST, allow_unicode=True, sort_keys=False))
    return tmp_path


def _break(bank: Path, old: str, new: str) -> None:
    path = bank / "mini-self.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _errors(bank: Path) -> str:
    with pytest.raises(BankError) as info:
        load_bank(bank)
    return str(info.value)


def test_valid_bank_loads_with_a_stable_hash(bank: Path) -> None:
    first = load_bank(bank)
    assert [q.id for q in first] == ["mini-self"]
    assert load_bank(bank)[0].content_hash == first[0].content_hash
    assert len(first[0].content_hash) == 64


def test_any_edit_makes_a_new_version(bank: Path) -> None:
    before = load_bank(bank)[0].content_hash
    _break(bank, "Mini self-test", "Mini self-test, edited")
    assert load_bank(bank)[0].content_hash != before


def test_policy_change_makes_a_new_version(bank: Path) -> None:
    before = load_bank(bank)[0].content_hash
    policy = bank / "data" / "scoring-policy.yaml"
    policy.write_text(policy.read_text().replace("verified_weight: 1.5", "verified_weight: 2.0"))
    assert load_bank(bank)[0].content_hash != before


def test_bad_key_names_file_item_field_and_line(bank: Path) -> None:
    _break(bank, "best: a", "best: z")
    message = _errors(bank)
    assert "mini-self.yaml" in message and "item 'sjt_strategy'" in message
    assert "key" in message and "'z' is not one of the options" in message
    line = next(i for i, text in enumerate((bank / "mini-self.yaml").read_text().splitlines(), 1) if "best: z" in text)
    assert f"line {line - 1}" in message or f"line {line}" in message


def test_unknown_type_and_missing_field(bank: Path) -> None:
    _break(bank, "type: numeric", "type: slider")
    assert "item 'roi_calc'" in _errors(bank)
    _break(bank, "type: slider", "type: numeric")
    _break(bank, "  - id: crisis\n", "  - idx: crisis\n")
    message = _errors(bank)
    assert "field 'id'" in message or "field 'idx'" in message


def test_unknown_platform_and_wrong_file_name(bank: Path) -> None:
    _break(bank, "- instagram", "- friendster_pro")
    assert "'friendster_pro' is not in data/platforms.yaml" in _errors(bank)
    _break(bank, "- friendster_pro", "- instagram")
    (bank / "mini-self.yaml").rename(bank / "other.yaml")
    assert "must equal the file name 'other'" in _errors(bank)


def test_yaml_syntax_error_and_duplicate_keys(bank: Path) -> None:
    (bank / "mini-self.yaml").write_text("id: mini-self\nkind: [unclosed\n")
    assert "not valid YAML" in _errors(bank)
    (bank / "mini-self.yaml").write_text("id: mini-self\nid: again\n")
    message = _errors(bank)
    assert "duplicate key 'id'" in message and "line 2" in message


def test_missing_data_file(bank: Path) -> None:
    (bank / "data" / "platforms.yaml").unlink()
    assert "platforms.yaml: missing" in _errors(bank)


def test_single_file_uses_the_data_folder_beside_it(bank: Path) -> None:
    assert load_bank(bank / "mini-self.yaml")[0].id == "mini-self"


def _bank_with_guide(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    shutil.copytree(DATA.parent, tmp_path / "questions", ignore=shutil.ignore_patterns("examples"))
    guide_file = tmp_path / "questions" / "data" / "interview-guide.yaml"
    data = yaml.safe_load(guide_file.read_text())
    change(data)
    guide_file.write_text(yaml.safe_dump(data, allow_unicode=True))
    return tmp_path / "questions"


def test_guide_linking_an_unknown_hr_item_names_it(tmp_path: Path) -> None:
    bank = _bank_with_guide(tmp_path, lambda d: d["dimensions"]["roi"][0].update(hr_items=["bars_nowhere"]))
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    assert any(
        "interview-guide.yaml: question 'budget_decision_from_measurement' field 'hr_items': 'bars_nowhere'" in e
        for e in caught.value.errors
    ), caught.value.errors


def test_guide_with_an_unknown_unconfirmed_item_names_it(tmp_path: Path) -> None:
    bank = _bank_with_guide(
        tmp_path, lambda d: d["unconfirmed"].update(followers=d["unconfirmed"].pop("years_in_profession"))
    )
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    assert any("field 'unconfirmed.followers'" in e for e in caught.value.errors), caught.value.errors


def test_broken_guide_text_names_file_field_and_line(tmp_path: Path) -> None:
    bank = _bank_with_guide(tmp_path, lambda d: d["signals"]["self_title"][0]["ask"].pop("nl"))
    with pytest.raises(BankError) as caught:
        load_bank(bank)
    assert any(
        "interview-guide.yaml, line" in e and "signals.self_title.[0].ask.nl" in e for e in caught.value.errors
    ), caught.value.errors
