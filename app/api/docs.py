"""The API reference page: Swagger UI from vendored files (the CSP allows no CDN and no inline script)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from app.urls import url_for

router = APIRouter(include_in_schema=False)


@router.get("/docs", name="api_docs")
def docs(request: Request) -> HTMLResponse:
    """Show the interactive API reference built from /openapi.json."""
    spec = escape(str(url_for(request, "openapi")))
    css = escape(str(url_for(request, "static", path="swagger/swagger-ui.css")))
    bundle = escape(str(url_for(request, "static", path="swagger/swagger-ui-bundle.js")))
    init = escape(str(url_for(request, "static", path="swagger/init.js")))
    return HTMLResponse(
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Touchstone API</title><link rel="stylesheet" href="{css}"></head>'
        f'<body><div id="swagger-ui" data-spec-url="{spec}"></div>'
        f'<script src="{bundle}"></script><script src="{init}"></script></body></html>'
    )
