"""The interview guide page: the questions HR asks a candidate, printable, in Dutch or English."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import i18n
from app.accounts.deps import CurrentUser
from app.audit import service as audit
from app.candidates import service as candidates
from app.deps import SessionDep, SettingsDep
from app.reports import interview
from app.web.hr.common import actor, page

router = APIRouter(include_in_schema=False)


@router.get("/hr/candidates/{candidate_id}/interview-guide", name="hr_interview_guide")
def interview_guide(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser, candidate_id: int
) -> Response:
    """Show the interview guide built from the candidate's latest completed self-test."""
    candidate = candidates.get(session, candidate_id)
    lang = i18n.negotiate(request)
    view = interview.for_candidate(session, candidate, lang, settings.questions_dir)
    audit.record(session, candidate, actor=actor(user), action="interview_guide.viewed")
    return page(
        request,
        user,
        "hr/interview_guide.html",
        {"candidate": candidate, "view": view, "guide_lang": lang},
    )
