"""The questions of a section page as HTML. A question with no answer and no problem looks the same for
every candidate, so its HTML is rendered once per questionnaire version, language and section, and kept."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.scoring import engine
from app.scoring import model as m
from app.web.candidate import forms

_blank: dict[tuple[str, str, str], list[Markup]] = {}
_lock = threading.Lock()
# Versions x languages x sections; a bound in case questionnaires are reloaded many times in one process.
_MAX_SECTIONS = 2000


def _context(compiled: engine.Compiled, section: m.Section) -> dict[str, Any]:
    return {
        # Relative to the page's own address (/t/{token}/s/{section}): the HTML holds no token, so one copy
        # serves every candidate.
        "autosave_url": f"{section.id}/autosave",
        "field_name": forms.field_name,
        "platform_names": compiled.platform_names,
        "scale": forms.scale,
        "not_observed": forms.NOT_OBSERVED,
    }


def _render(
    templates: Jinja2Templates, lang: str, compiled: engine.Compiled, section: m.Section, item: m.Item, **shown: Any
) -> Markup:
    macros = templates.env.get_template("candidate/_items.html").make_module({"lang": lang})
    number = forms.first_number(compiled.questionnaire, section) + section.items.index(item)
    html: Markup = macros.item(item, number, shown.get("value"), shown.get("problem"), _context(compiled, section))  # type: ignore[attr-defined]
    return html


def section_items(
    templates: Jinja2Templates,
    lang: str,
    compiled: engine.Compiled,
    section: m.Section,
    values: dict[str, Any],
    problems: dict[str, forms.Message],
) -> list[Markup]:
    """Return the HTML of each question of a section: from the cache unless it shows an answer or a problem."""
    key = (compiled.content_hash, lang, section.id)
    blank = _blank.get(key)
    if blank is None:
        blank = [_render(templates, lang, compiled, section, item) for item in section.items]
        with _lock:
            if len(_blank) >= _MAX_SECTIONS:
                _blank.clear()
            _blank[key] = blank
    return [
        html
        if values.get(item.id) is None and item.id not in problems
        else _render(templates, lang, compiled, section, item, value=values.get(item.id), problem=problems.get(item.id))
        for item, html in zip(section.items, blank, strict=True)
    ]
