"""Render Jinja2 pages in the request's language, with the CSRF token and url_for at hand."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response

from app import cookies, i18n, inputs, labels, urls
from app.config import ROOT
from app.web import csrf

TEMPLATE_DIR = ROOT / "templates"
# Absolute URLs remembered per application (a base URL, a name and its parameters always give the same URL).


def create_templates(translator: i18n.Translator, *, auto_reload: bool = True) -> Jinja2Templates:
    """Build the template environment once per application.

    With auto_reload (development) a changed template file is picked up at once; without it (production,
    tests) a compiled template is used as it is, with no file-system check on every render.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        auto_reload=auto_reload,
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(translator.gettext, translator.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(number=format_number, date=format_day, datetime=format_moment)
    # {{ value|number_text(lang) }}: a saved answer in the page's notation, every decimal kept (parse_number reads it).
    env.filters["number_text"] = inputs.number_text
    # {{ code|label("discipline") }}: a code in the reader's words; {{ text|erased }}: erasure's placeholder too.
    env.filters["label"] = lambda code, kind: labels.label(code, kind, translator.gettext)
    env.filters["erased"] = lambda text: labels.erased(text, translator.gettext)
    env.globals["label_codes"] = lambda kind: tuple(labels.LABELS[kind])
    env.globals["url_for"] = _url_for  # Jinja2Templates keeps a url_for that is already set
    env.globals["with_lang"] = _with_lang
    return Jinja2Templates(env=env)


def format_number(value: float | int | None, digits: int | None = None) -> str:
    """Print a number the reader's way (65,6 in Dutch, 65.6 in English); ``digits`` rounds it first."""
    if value is None:
        return ""
    if digits is not None:
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return babel_numbers.format_decimal(value, format=pattern, locale=i18n.current_locale.get())
    return babel_numbers.format_decimal(value, locale=i18n.current_locale.get())


def format_day(value: date | datetime | str | None) -> str:
    """Print a date the reader's way: 29 november 2026, or 29 November 2026.

    A string is an ISO date as a stored result holds it (``scored_at``, a platform's launch date).
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return babel_dates.format_date(value, format="long", locale=i18n.current_locale.get())


def format_moment(value: datetime | None, *, seconds: bool = False) -> str:
    """Print a moment the reader's way: 29 november 2026 14:05 (with ``seconds``: 14:05:09, for the audit log)."""
    if value is None:
        return ""
    day = babel_dates.format_date(value, format="long", locale=i18n.current_locale.get())
    return f"{day} {value:%H:%M:%S}" if seconds else f"{day} {value:%H:%M}"


@pass_context
def _url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> URL:
    # Remembered per base URL (app.urls): a page calls url_for a dozen times.
    return urls.url_for(context["request"], name, **path_params)


@pass_context
def _with_lang(context: dict[str, Any], lang: str) -> str:
    """Return this page's address in another language: its query (filters, sorting, a token) kept, ``lang`` set."""
    params = [(k, v) for k, v in context["request"].query_params.multi_items() if k != "lang"]
    return "?" + urlencode([*params, ("lang", lang)])


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> Response:
    """Render a page in the negotiated language; remember an explicit ?lang= choice in a cookie."""
    lang = i18n.negotiate(request)
    i18n.current_locale.set(lang)
    templates: Jinja2Templates = request.app.state.templates
    page = {"lang": lang, "csrf_token": lambda: csrf.form_token(request), **(context or {})}
    response = templates.TemplateResponse(request, name, page, status_code=status_code)
    if request.query_params.get("lang") == lang:
        response.set_cookie(
            i18n.COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            path="/",
            samesite="lax",
            httponly=True,
            secure=cookies.served_over_https(request.app.state.settings),
        )
    csrf.set_cookie(request, response)
    return response
