"""A small synthetic bank: the engine's rules are tested on it, independent of the shipped content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.scoring.bundle import Bundle
from app.scoring.compiled import Compiled, compile_bundle
from app.scoring.model import Lexicon, PlatformCatalogue, Questionnaire
from app.scoring.policy import Policy

DATA = Path(__file__).resolve().parents[2] / "questions" / "data"


def t(en: str, nl: str | None = None) -> dict[str, str]:
    return {"en": en, "nl": nl or f"NL {en}"}


def opt(oid: str, points: float = 0, **extra: Any) -> dict[str, Any]:
    return {"id": oid, "text": t(f"option {oid}"), "points": points, **extra}


REVEALS = "what this item is meant to reveal"

TENURE_ITEM: dict[str, Any] = {
    "id": "tenure",
    "type": "tenure",
    "text": t("Years per platform"),
    "reveals": REVEALS,
    "signal": "impossible_tenure",
    "required": False,
    "platforms": ["linkedin", "instagram", "hyves"],
}

SELF_TEST: dict[str, Any] = {
    "id": "mini-self",
    "kind": "self_test",
    "title": t("Mini self-test"),
    "description": t("A small test bank"),
    "estimated_minutes": 5,
    "sections": [
        {
            "id": "main",
            "title": t("Main"),
            "items": [
                {
                    "id": "sjt_strategy",
                    "type": "sjt",
                    "text": t("Competitors are on TikTok. What do you do?"),
                    "reveals": REVEALS,
                    "dimension": "strategy",
                    "options": [opt("a"), opt("b"), opt("c"), opt("d")],
                    "key": {"best": "a", "worst": "d"},
                },
                {
                    "id": "roi_calc",
                    "type": "numeric",
                    "text": t("Compute the ROI in percent"),
                    "reveals": REVEALS,
                    "dimension": "roi",
                    "key": {"answer": 87.5, "tolerance": 0.5, "partial_tolerance": 5},
                },
                {
                    "id": "kpis",
                    "type": "multiple_choice",
                    "text": t("Which KPIs do you report?"),
                    "reveals": REVEALS,
                    "dimension": "roi",
                    "min_choices": 1,
                    "options": [
                        opt("leads", 2),
                        opt("revenue", 2),
                        opt("followers", -1, signal="vanity_metrics"),
                        opt("likes", -1, signal="vanity_metrics"),
                    ],
                },
                {
                    "id": "crisis",
                    "type": "single_choice",
                    "text": t("A joke goes wrong"),
                    "reveals": REVEALS,
                    "dimension": "corporate_communication",
                    "options": [opt("apologise", 3), opt("delete", 1), opt("double_down", 0)],
                },
                {
                    "id": "title",
                    "type": "single_choice",
                    "text": t("Your title"),
                    "reveals": REVEALS,
                    "signal": "self_title",
                    "options": [opt("pro"), opt("guru", signal="self_title")],
                },
                {
                    "id": "accounts",
                    "type": "single_choice",
                    "text": t("Your accounts"),
                    "reveals": REVEALS,
                    "signal": "closed_accounts",
                    "options": [opt("open"), opt("closed", signal="closed_accounts")],
                },
                TENURE_ITEM,
                {
                    "id": "departments",
                    "type": "single_choice",
                    "text": t("Who do you involve before a campaign?"),
                    "reveals": REVEALS,
                    "dimension": "integration",
                    "options": [opt("sales_and_service", 2), opt("nobody", 0)],
                },
                {
                    "id": "handover",
                    "type": "single_choice",
                    "text": t("Could a colleague take over tomorrow?"),
                    "reveals": REVEALS,
                    "dimension": "leadership",
                    "ordered": True,
                    "options": [opt("documented", 2), opt("partly", 1), opt("no", 0)],
                },
                {
                    "id": "familiarity",
                    "type": "familiarity",
                    "text": t("How familiar are you with these terms?"),
                    "reveals": REVEALS,
                    "signal": "foils_claimed",
                    "cutoff": 4,
                    "terms": [{"id": f"r{i}", "text": t(f"real {i}"), "real": True} for i in range(8)]
                    + [{"id": f"f{i}", "text": t(f"foil {i}"), "real": False} for i in range(2)],
                },
                {
                    "id": "self_strategy",
                    "type": "likert",
                    "text": t("Rate your strategy skills"),
                    "reveals": REVEALS,
                    "dimension": "strategy",
                    "signal": "self_rating_above_evidence",
                },
                {
                    "id": "result",
                    "type": "free_text",
                    "text": t("Describe a result you achieved"),
                    "reveals": REVEALS,
                    "dimension": "track_record",
                    "evidence_from_text": True,
                    "text_signals": ["buzzword_density", "vanity_metrics", "volume_bragging", "self_title"],
                    "rubric": [{"points": p, "text": t(f"level {p}")} for p in range(4)],
                },
            ],
        }
    ],
}


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def make_bundle(questionnaire: dict[str, Any]) -> Bundle:
    return Bundle(
        questionnaire=Questionnaire.model_validate(questionnaire),
        policy=Policy.model_validate(_load("scoring-policy.yaml")),
        platforms=PlatformCatalogue.model_validate(_load("platforms.yaml")),
        lexicon=Lexicon.model_validate(_load("lexicon.yaml")),
    )


@pytest.fixture(scope="session")
def mini() -> Compiled:
    return compile_bundle(make_bundle(SELF_TEST))


STRONG: dict[str, Any] = {
    "sjt_strategy": {"best": "a", "worst": "d"},
    "roi_calc": 87.5,
    "kpis": ["leads", "revenue"],
    "crisis": "apologise",
    "departments": "sales_and_service",
    "handover": "documented",
    "title": "pro",
    "accounts": "open",
    "tenure": {"linkedin": 10, "instagram": 5},
    "familiarity": {**{f"r{i}": 5 for i in range(8)}, "f0": 0, "f1": 1},
    "self_strategy": 4,
    "result": "Our LinkedIn campaign brought 120 leads and €80,000 revenue at a cost per lead of €25.",
}

WEAK: dict[str, Any] = {
    "sjt_strategy": {"best": "d", "worst": "a"},
    "roi_calc": 5000,
    "kpis": ["followers", "likes"],
    "crisis": "double_down",
    "departments": "nobody",
    "handover": "no",
    "title": "guru",
    "accounts": "closed",
    "tenure": {"linkedin": 30, "instagram": 20},
    "familiarity": {**{f"r{i}": 6 for i in range(8)}, "f0": 6, "f1": 6},
    "self_strategy": 5,
    "result": "I am a social media guru: a game changer with synergy, viral storytelling and 10k followers.",
}
