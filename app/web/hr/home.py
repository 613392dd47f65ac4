"""The HR workspace's start page: the pipeline per role, each count a link to the list it counts."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.candidates import pipeline
from app.web.hr.common import CurrentHr

router = APIRouter(include_in_schema=False)


@router.get("/hr", name="hr_home")
def home(hr: CurrentHr) -> Response:
    """Show how many candidates of each role are invited, started, completed, expired and decided."""
    return hr.page("hr/home.html", {"pipelines": pipeline.per_role(hr.session), "stages": pipeline.STAGES})
