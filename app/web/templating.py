"""Render Jinja2 pages in the request's language, with the CSRF token and url_for at hand."""

from __future__ import annotations

from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import Response

from app import i18n
from app.config import ROOT
from app.web import csrf

TEMPLATE_DIR = ROOT / "templates"


def create_templates(translator: i18n.Translator) -> Jinja2Templates:
    """Build the template environment once per application."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(translator.gettext, translator.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return Jinja2Templates(env=env)


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
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    csrf.set_cookie(request, response)
    return response
