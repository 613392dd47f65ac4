"""The HR workspace's start page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts.deps import CurrentUser

router = APIRouter(include_in_schema=False)


@router.get("/hr", name="hr_home")
def home(request: Request, user: CurrentUser) -> Response:
    """Open the candidates list, where most HR work starts."""
    target = request.url_for("hr_candidates").include_query_params(**request.query_params)
    return RedirectResponse(str(target), status_code=303)
