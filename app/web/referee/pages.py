"""The referee's link: privacy notice and the claims to check, consent, then the questions on /t/{token}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from app import i18n
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentStatus
from app.candidates import service as candidates
from app.deps import SessionDep, SettingsDep
from app.referees import networks
from app.referees import service as referees
from app.referees.models import Referee
from app.urls import url_for
from app.web import csrf
from app.web.candidate import consent, guessing
from app.web.candidate.http import PrivatePageRoute
from app.web.templating import render

router = APIRouter(
    include_in_schema=False, route_class=PrivatePageRoute, dependencies=[Depends(guessing.guard), csrf.Protected]
)

Token = Annotated[str, Path()]


def _found(request: Request, session: SessionDep, token: str) -> tuple[Referee, Assessment]:
    guessing.by_token(request, session, token)  # counts a guessed link as a miss, like the candidate pages
    return referees.by_token(session, token)


@router.get("/r/{token}", name="referee_link")
def link(request: Request, session: SessionDep, token: Token) -> Response:
    """Show the privacy notice and the claims to check, with the button to start or continue."""
    referee, assessment = _found(request, session, token)
    lang = i18n.negotiate(request)
    candidate = candidates.get(session, referee.candidate_id)
    context = {
        "token": token,
        "referee": referee,
        "candidate": candidate,
        "questionnaire": assessments.compiled_of(session, assessment).questionnaire,
        "claims": referees.claims_shown(session, referee, lang),
        "started": consent.given(assessment),
        "done": assessment.status == AssessmentStatus.COMPLETED,
    }
    return render(request, "referee/link.html", context)


@router.post("/r/{token}", name="referee_start")
def start(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Token,
) -> Response:
    """Record the referee's agreement to the notice and open the first question."""
    referee, assessment = _found(request, session, token)
    if assessment.status != AssessmentStatus.COMPLETED:
        address = request.client.host if request.client else None
        referees.mark_started(session, referee, network=networks.fingerprint(settings, address))
        consent.record(session, assessment)
        session.commit()
    return RedirectResponse(url_for(request, "candidate_link", token=token), status_code=303)
