"""The warning HR sees when the page was opened at another address than the one links point at.

Where links point (the configured public address, or in development the request's own) is
``app.urls.link_settings``, shared with the JSON API.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from app.config import Settings


def base_url_mismatch(request: Request, settings: Settings) -> str | None:
    """Return the configured base URL when this request came in on another host (links would point elsewhere)."""
    if not settings.base_url_configured:
        return None
    configured = urlsplit(settings.base_url)
    requested = urlsplit(str(request.base_url))
    if (configured.hostname, configured.port) == (requested.hostname, requested.port):
        return None
    return settings.base_url
