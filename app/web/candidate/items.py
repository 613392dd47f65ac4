"""The questions of a section page as HTML. A question with no answer and no problem looks the same for
every candidate who sees the options in the same order, so its HTML is rendered once per questionnaire
version, language, section and option order (one of app.assessments.conduct.OPTION_ORDERS), and kept."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.assessments.conduct import shown_seed
from app.inputs import number_text
from app.scoring import engine
from app.scoring import model as m
from app.scoring.presentation import option_order, term_order
from app.web.candidate import conduct, forms

_blank: dict[tuple[str, str, str, int | None], list[Markup]] = {}
_lock = threading.Lock()
# Versions x languages x sections x option orders; a bound in case questionnaires are reloaded many times.
_MAX_SECTIONS = 2000


def _typed(lang: str) -> Callable[..., str]:
    def typed(value: Any, *, grouping: bool = True) -> str:
        """Return a saved number in the page's notation (1.234,5 in Dutch); what was typed stays as typed."""
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return number_text(value, lang, grouping=grouping)
        return str(value)

    return typed


def _context(compiled: engine.Compiled, section: m.Section, seed: int | None, lang: str) -> dict[str, Any]:
    return {
        # Relative to the page's own address (/t/{token}/s/{section}): the HTML holds no token, so one copy
        # serves every candidate.
        "autosave_url": f"{section.id}/autosave",
        "field_name": forms.field_name,
        "typed": _typed(lang),
        "platform_names": compiled.platform_names,
        "scale": forms.scale,
        "not_observed": forms.NOT_OBSERVED,
        "pasted_field": conduct.pasted_field,
        # The person's own order (app.scoring.presentation), the one the integrity check reads too.
        "options": lambda item: option_order(item, seed),
        "terms": lambda item: term_order(item, seed),
    }


def _render(
    templates: Jinja2Templates,
    lang: str,
    compiled: engine.Compiled,
    section: m.Section,
    seed: int | None,
    item: m.Item,
    **shown: Any,
) -> Markup:
    macros = templates.env.get_template("candidate/_items.html").make_module({"lang": lang})
    number = forms.first_number(compiled.questionnaire, section) + section.items.index(item)
    context = _context(compiled, section, seed, lang)
    html: Markup = macros.item(  # type: ignore[attr-defined]
        item, number, shown.get("value"), shown.get("problem"), context, shown.get("claims")
    )
    return html


def section_items(
    templates: Jinja2Templates,
    lang: str,
    compiled: engine.Compiled,
    section: m.Section,
    values: dict[str, Any],
    problems: dict[str, forms.Message],
    *,
    seed: int | None,
    claims: dict[str, list[Any]] | None = None,
) -> list[Markup]:
    """Return the HTML of each question of a section, its options in the order of the assessment's option
    seed: from the cache unless it shows an answer, a problem or a claim (a referee's claim check shows
    the candidate's own statement inside the question)."""
    claims = claims or {}
    seed = shown_seed(seed)
    key = (compiled.content_hash, lang, section.id, seed)
    blank = _blank.get(key)
    if blank is None:
        blank = [_render(templates, lang, compiled, section, seed, item) for item in section.items]
        with _lock:
            if len(_blank) >= _MAX_SECTIONS:
                _blank.clear()
            _blank[key] = blank
    return [
        html
        if values.get(item.id) is None and item.id not in problems and item.id not in claims
        else _render(
            templates,
            lang,
            compiled,
            section,
            seed,
            item,
            value=values.get(item.id),
            problem=problems.get(item.id),
            claims=claims.get(item.id),
        )
        for item, html in zip(section.items, blank, strict=True)
    ]
