"""The anonymous self-test: anyone may start one, no account and no personal data asked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app import i18n
from app.assessments import service as assessments
from app.assessments.models import AssessmentMode
from app.deps import SessionDep, SettingsDep
from app.questionnaires import service as questionnaires
from app.ratelimit import service as ratelimit
from app.urls import url_for
from app.web import csrf
from app.web.candidate import consent
from app.web.candidate.http import PrivatePageRoute
from app.web.templating import render

router = APIRouter(include_in_schema=False, route_class=PrivatePageRoute, dependencies=[csrf.Protected])

QUESTIONNAIRE = "self-test"
BUCKET = "self-test-start"


def _page(request: Request, session: SessionDep, *, status_code: int = 200, retry_after: int | None = None) -> Response:
    version = questionnaires.get_current(session, QUESTIONNAIRE)
    questionnaire = assessments.compiled_for(version).questionnaire if version else None
    context: dict[str, Any] = {"questionnaire": questionnaire, "retry_after_minutes": None}
    if retry_after is not None:
        context["retry_after_minutes"] = max(1, -(-retry_after // 60))
    response = render(request, "candidate/self_test.html", context, status_code=status_code)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.get("/self-test", name="self_test")
def self_test(request: Request, session: SessionDep) -> Response:
    """Show what the self-test is, what is stored and for how long, and the start button."""
    return _page(request, session)


@router.post("/self-test", name="self_test_start")
def self_test_start(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """Start an anonymous self-test (pressing start is the consent) and go to its personal link."""
    client = request.client.host if request.client else "unknown"
    refused = ratelimit.hit(
        session,
        BUCKET,
        ratelimit.client_key(settings.secret_key, client),
        limit=settings.self_test_starts_per_window,
        window=dt.timedelta(minutes=settings.self_test_window_minutes),
    )
    if refused is not None:
        return _page(request, session, status_code=429, retry_after=refused.retry_after)
    created = assessments.create(
        session,
        questionnaire_id=QUESTIONNAIRE,
        mode=AssessmentMode.ANONYMOUS,
        language=i18n.negotiate(request),
        actor="candidate",
    )
    consent.record(session, created.assessment)
    session.commit()  # in this thread, before the redirect is written out (see app.db.session)
    assert created.token is not None  # anonymous assessments always get a link
    return RedirectResponse(url_for(request, "candidate_link", token=created.token), status_code=303)
