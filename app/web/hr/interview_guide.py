"""The interview guide page: the questions HR asks a candidate, printable, in Dutch or English."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.audit import service as audit
from app.candidates import service as candidates
from app.reports import interview
from app.web.hr.common import CurrentHr

router = APIRouter(include_in_schema=False)


@router.get("/hr/candidates/{candidate_id}/interview-guide", name="hr_interview_guide")
def interview_guide(hr: CurrentHr, candidate_id: int) -> Response:
    """Show the interview guide built from the candidate's latest completed self-test."""
    candidate = candidates.get(hr.session, candidate_id)
    lang = hr.lang
    view = interview.for_candidate(hr.session, candidate, lang, hr.settings.questions_dir)
    audit.record(hr.session, candidate, actor=hr.actor, action="interview_guide.viewed")
    return hr.page("hr/interview_guide.html", {"candidate": candidate, "view": view, "guide_lang": lang})
