"""A count in a result's sentence agrees with its noun, in Dutch and in English: "1 second", "2 seconds"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.scoring.compiled import Compiled, fill
from app.scoring.engine import Conduct, score
from app.scoring.policy import template_problem
from tests.scoring.test_integrity import DAY, QUESTIONS, senior
from tests.scoring.test_integrity import self_test as self_test  # the shipped self-test, as a fixture

POLICY = Path(__file__).resolve().parents[2] / "questions" / "data" / "scoring-policy.yaml"
# Fields that hold a count (or an amount) written right before its noun in some text of the policy.
COUNTS = ("n", "seconds", "expected", "words", "claimed", "possible", "gap")
# Nouns that read the same after 1 and after 5 ("1 jaar", "5 jaar").
SAME_FORM = frozenset({"jaar"})


@pytest.mark.parametrize(
    ("shown", "said"),
    [("1", "1 answer"), (1, "1 answer"), ("0", "0 answers"), ("2", "2 answers"), ("1.5", "1.5 answers")],
)
def test_a_count_takes_the_noun_that_agrees_with_it(shown: object, said: str) -> None:
    assert fill("from {n:answer|answers}.", n=shown) == f"from {said}."
    assert fill("uit {n:antwoord|antwoorden}", n="1") == "uit 1 antwoord"
    assert fill("uit {n:antwoord|antwoorden}", n="1,5") == "uit 1,5 antwoorden"


def test_the_policy_check_allows_a_nouns_two_forms_and_nothing_else() -> None:
    assert template_problem("in {seconds:second|seconds}", ("seconds",)) is None
    assert template_problem("in {seconds:>5}", ("seconds",))
    assert template_problem("in {seconds:second|}", ("seconds",))
    assert template_problem("in {seconds!r}", ("seconds",))


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node[lang] for lang in ("nl", "en") if isinstance(node.get(lang), str)]
        return own + [text for value in node.values() for text in _texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _texts(value)]
    return []


def test_no_policy_text_puts_a_count_before_a_fixed_plural() -> None:
    texts = _texts(yaml.safe_load(POLICY.read_text(encoding="utf-8")))
    pattern = re.compile(r"\{(" + "|".join(COUNTS) + r")\} (\w+)")
    fixed = [text for text in texts for _, noun in pattern.findall(text) if noun not in SAME_FORM]
    assert fixed == []
    assert sum("|" in text for text in texts) >= 14


@pytest.mark.parametrize(("lang", "said"), [("en", "answered in 1 second;"), ("nl", "in 1 seconde ingevuld;")])
def test_one_second_is_singular_in_the_integrity_text(self_test: Compiled, lang: str, said: str) -> None:
    conduct = Conduct(seconds={"scenarios_1": 1.0})
    flags = score(self_test, senior(), at=DAY, lang=lang, conduct=conduct)["integrity"]["flags"]
    assert said in flags[0]["detail"]
    plural = score(self_test, senior(), at=DAY, lang=lang, conduct=Conduct(seconds={"scenarios_1": 20.0}))
    assert ("20 seconds" if lang == "en" else "20 seconden") in plural["integrity"]["flags"][0]["detail"]


@pytest.mark.parametrize(("lang", "said"), [("en", "from 1 signal found."), ("nl", "uit 1 gevonden signaal.")])
def test_one_signal_is_singular_in_the_claims_summary(self_test: Compiled, lang: str, said: str) -> None:
    answers = json.loads((QUESTIONS / "examples" / "self-test--midlevel.json").read_text())["answers"]
    claims = score(self_test, answers, at=DAY, lang=lang)["claims"]
    assert [s["code"] for s in claims["signals"]] == ["vanity_metrics"]
    assert claims["explanation"]["summary"].endswith(said)
