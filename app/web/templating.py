"""Render Jinja2 pages in the request's language, with the CSRF token and url_for at hand."""

from __future__ import annotations

from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.datastructures import URL, URLPath
from starlette.requests import Request
from starlette.responses import Response

from app import cookies, i18n
from app.config import ROOT
from app.web import csrf

TEMPLATE_DIR = ROOT / "templates"
# Route paths remembered per application (a name with its parameters always gives the same path).
URL_CACHE_SIZE = 4096


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
    env.globals["url_for"] = _remembering_url_for()  # Jinja2Templates keeps a url_for that is already set
    return Jinja2Templates(env=env)


def _remembering_url_for() -> Any:
    """Return the templates' url_for: Starlette's, with the route lookup done once per name and parameters.

    Finding a route by name tries every route of the application in turn; a page calls url_for a dozen
    times, and that was a sixth of the time to render one.
    """
    paths: dict[tuple[int, str, tuple[tuple[str, Any], ...]], URLPath] = {}

    @pass_context
    def url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> URL:
        request: Request = context["request"]
        provider = request.scope.get("router") or request.scope.get("app")
        key = (id(provider), name, tuple(sorted(path_params.items())))
        try:
            path = paths.get(key)
        except TypeError:  # an unhashable parameter: look it up every time
            return request.url_for(name, **path_params)
        if path is None:
            path = provider.url_path_for(name, **path_params)  # type: ignore[union-attr]
            if len(paths) >= URL_CACHE_SIZE:
                paths.clear()  # bounded: links with tokens in them would otherwise pile up
            paths[key] = path
        return path.make_absolute_url(base_url=request.base_url)

    return url_for


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
