"""Where candidates' links point: the configured public address, or in development the request's own.

Without TOUCHSTONE_BASE_URL (allowed outside production only) a link made on a development server points
at the address HR's browser used, not at 127.0.0.1:8000. The link is sealed into the invitation's mail
when the invitation is made, so mail the worker sends later (no request) carries that same address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from app.config import Environment, Settings


def link_settings(request: Request, settings: Settings) -> Settings:
    """Return settings whose base_url is the address candidates' links made in this request point at."""
    if settings.base_url_configured or settings.environment is Environment.PRODUCTION:
        return settings
    return settings.model_copy(update={"base_url": str(request.base_url).rstrip("/")})


def base_url_mismatch(request: Request, settings: Settings) -> str | None:
    """Return the configured base URL when this request came in on another host (links would point elsewhere)."""
    if not settings.base_url_configured:
        return None
    configured = urlsplit(settings.base_url)
    requested = urlsplit(str(request.base_url))
    if (configured.hostname, configured.port) == (requested.hostname, requested.port):
        return None
    return settings.base_url
