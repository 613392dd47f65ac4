"""A questionnaire version prepared for fast scoring: labels, option texts and patterns built once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.scoring import model as m
from app.scoring.bundle import Bundle
from app.scoring.policy import Policy
from app.scoring.text import TextAnalyzer

LANGS = ("nl", "en")
LABEL_LENGTH = 90


def _short(text: str, limit: int = LABEL_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


@dataclass(frozen=True, slots=True)
class Compiled:
    bundle: Bundle
    content_hash: str
    questionnaire: m.Questionnaire
    policy: Policy
    items: tuple[m.Item, ...]
    labels: dict[str, dict[str, str]]
    """Per language: item id -> a short label for explanations."""
    options: dict[str, dict[tuple[str, str], str]]
    """Per language: (item id, option id) -> option text."""
    option_models: dict[tuple[str, str], m.Option]
    chose: dict[str, dict[tuple[str, str], str]]
    """Per language: the explanation for choosing one option."""
    sjt_details: dict[str, tuple[str, ...]]
    """Per language: the 9 explanations of a best/worst pair, indexed best_kind * 3 + worst_kind."""
    max_points: dict[str, float]
    positive_points: dict[str, float]
    launched: dict[str, dt.date]
    closed: dict[str, dt.date | None]
    platform_names: dict[str, str]
    analyzer: TextAnalyzer
    messages: dict[str, dict[str, str]]


def _sjt_details(msgs: dict[str, str]) -> tuple[str, ...]:
    points = (1, -1, 0)
    best = (msgs["sjt_best_keyed"], msgs["sjt_best_swapped"], msgs["sjt_best_other"])
    worst = (msgs["sjt_worst_keyed"], msgs["sjt_worst_swapped"], msgs["sjt_worst_other"])
    return tuple(f"{best[b]}; {worst[w]} ({points[b] + points[w]:+d})" for b in range(3) for w in range(3))


def compile_bundle(bundle: Bundle) -> Compiled:
    """Prepare a bundle for scoring; do this once per questionnaire version and reuse it."""
    q = bundle.questionnaire
    items = tuple(q.items())
    labels = {lang: {item.id: _short(item.text.get(lang)) for item in items} for lang in LANGS}
    options: dict[str, dict[tuple[str, str], str]] = {lang: {} for lang in LANGS}
    option_models: dict[tuple[str, str], m.Option] = {}
    max_points: dict[str, float] = {}
    positive: dict[str, float] = {}
    for item in items:
        if isinstance(item, m.ChoiceItem | m.SjtItem):
            for option in item.options:
                option_models[(item.id, option.id)] = option
                for lang in LANGS:
                    options[lang][(item.id, option.id)] = _short(option.text.get(lang))
            max_points[item.id] = max(o.points for o in item.options)
            positive[item.id] = sum(o.points for o in item.options if o.points > 0)
        elif isinstance(item, m.YesNoItem):
            max_points[item.id] = max(item.yes.points, item.no.points)
        elif isinstance(item, m.FreeTextItem) and item.rubric:
            max_points[item.id] = max(level.points for level in item.rubric)
    messages = {lang: {k: v.get(lang) for k, v in bundle.policy.messages.items()} for lang in LANGS}
    chose = {
        lang: {key: messages[lang]["chose"].format(options=text) for key, text in options[lang].items()}
        for lang in LANGS
    }
    return Compiled(
        bundle=bundle,
        content_hash=bundle.content_hash(),
        questionnaire=q,
        policy=bundle.policy,
        items=items,
        labels=labels,
        options=options,
        option_models=option_models,
        max_points=max_points,
        positive_points=positive,
        launched={p.id: p.launched for p in bundle.platforms.platforms},
        closed={p.id: p.discontinued for p in bundle.platforms.platforms},
        platform_names={p.id: p.name for p in bundle.platforms.platforms},
        analyzer=TextAnalyzer(bundle.lexicon),
        messages=messages,
        chose=chose,
        sjt_details={lang: _sjt_details(messages[lang]) for lang in LANGS},
    )
