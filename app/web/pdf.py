"""Render an HTML page to PDF with WeasyPrint, never fetching anything from the network.

Stylesheets are linked under STATIC_BASE and served from app/static by the URL fetcher; any other URL
(http, file, data) is refused, so a report's text can never make the server fetch a resource.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.config import ROOT
from app.errors import Unavailable
from app.i18n import N_

STATIC_DIR = ROOT / "app" / "static"
# A base URL that resolves nowhere: only this fetcher understands it.
STATIC_BASE = "touchstone-static:/"
MISSING_LIBRARIES = N_(
    "PDF downloads need the Pango and HarfBuzz system libraries, which this server lacks: "
    "install them with scripts/ensure-pdf-libraries."
)
MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


def _static_file(url: str) -> Path:
    if not url.startswith(STATIC_BASE):
        raise ValueError(f"the PDF may only use the application's own static files, not '{url}'")
    path = (STATIC_DIR / url.removeprefix(STATIC_BASE)).resolve()
    if not path.is_relative_to(STATIC_DIR.resolve()) or not path.is_file():
        raise ValueError(f"no static file '{url.removeprefix(STATIC_BASE)}'")
    return path


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = _static_file(url)
            media_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    return StaticOnly()


def render(html: str) -> bytes:
    """Return the PDF of an HTML document whose own files are linked under STATIC_BASE."""
    # WeasyPrint loads Pango through cffi on import: only the PDF routes pay for it.
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise Unavailable(MISSING_LIBRARIES) from error

    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=_fetcher())
    return bytes(document.write_pdf())
