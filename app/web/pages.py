"""Public pages that need no sign-in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(request: Request) -> Response:
    """Show the start page with the ways into Touchstone."""
    return render(request, "home.html")
