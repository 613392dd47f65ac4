"""Public pages that need no sign-in, and the icon browsers ask for by its old name."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from app.config import ROOT
from app.web.templating import render

router = APIRouter(include_in_schema=False)

FAVICON = ROOT / "app" / "static" / "favicon.svg"
# The icon changes with a release at most: browsers and proxies may keep it a day.
FAVICON_CACHE = "public, max-age=86400"


@router.get("/", name="home")
def home(request: Request) -> Response:
    """Show the start page with the ways into Touchstone."""
    return render(request, "home.html")


@router.api_route("/favicon.ico", methods=["GET", "HEAD"], name="favicon")
def favicon() -> Response:
    """Answer browsers and bookmarks that ask for /favicon.ico with the SVG icon the pages link.

    Nothing else: no session, no CSRF cookie, no database (a plain file with its ETag).
    """
    return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": FAVICON_CACHE})
