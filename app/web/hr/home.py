"""The HR workspace's start page: the pipeline per role, each count a link to the list it counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.accounts.deps import CurrentUser
from app.candidates import pipeline
from app.deps import SessionDep
from app.web.hr.common import page

router = APIRouter(include_in_schema=False)


@router.get("/hr", name="hr_home")
def home(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Show how many candidates of each role are invited, started, completed, expired and decided."""
    return page(
        request,
        user,
        "hr/home.html",
        {"pipelines": pipeline.per_role(session), "stages": pipeline.STAGES},
    )
