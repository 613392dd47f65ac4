"""Assessments: order one for a candidate (an invitation link), follow its status, cancel it, read the result."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import TypeAdapter
from sqlmodel import Session
from starlette.responses import JSONResponse, Response

from app.api import idempotency
from app.api.deps import ReadApi, WriteApi
from app.api.v1.assessment_schemas import AssessmentIn, AssessmentOut, AssessmentPage, ResultOut
from app.api.v1.common import AssessmentId, Cursor, Limit, listed, problems
from app.api.v1.schemas import MAX_ID
from app.assessments import public as presenters
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode
from app.candidates import invitations
from app.candidates import service as candidates
from app.config import Settings
from app.errors import NotFound
from app.problems import template
from app.questionnaires import catalogue
from app.referees import service as referees

router = APIRouter(prefix="/assessments", tags=["assessments"])
Status = Literal["created", "invited", "started", "completed", "expired", "cancelled"]
_out = TypeAdapter(AssessmentOut)

template(assessments.PAST_EXPIRY)


def report_url(session: Session, settings: Settings, assessment: Assessment) -> str:
    """Return the HR report an assessment is part of: a referee's statement belongs to its candidate's report."""
    candidate_id = referees.candidate_of_statement(session, assessment)
    if candidate_id is not None:
        return presenters.candidate_report_url(settings, candidate_id)
    return presenters.report_url(settings, assessment)


def assessment_out(
    session: Session, settings: Settings, assessment: Assessment, *, invitation: str | None = None
) -> dict[str, Any]:
    """Return an assessment as the API shows it, with the report it is part of."""
    shown = presenters.assessment_out(session, settings, assessment, invitation=invitation)
    if assessment.mode == AssessmentMode.REFEREE:
        shown["report_url"] = report_url(session, settings, assessment)
    return shown


def _shown(session: Session, settings: Settings, assessment: Assessment, *, invitation: str | None = None) -> Any:
    """Return an assessment checked against AssessmentOut: once.run answers with it as it is (no response_model)."""
    shown = assessment_out(session, settings, assessment, invitation=invitation)
    return _out.dump_python(_out.validate_python(shown), mode="json")


@router.post(
    "",
    name="api_assessment_create",
    status_code=201,
    response_model=AssessmentOut,
    responses=problems(404, 409, 410, 413),
)
def create_assessment(api: WriteApi, body: AssessmentIn, once: idempotency.Idempotent) -> JSONResponse:
    """Invite a candidate (in their language) to a questionnaire; the response holds the link (shown only here)."""

    def produce() -> tuple[int, Any]:
        catalogue.orderable(api.session, body.questionnaire_id)
        candidate = candidates.get(api.session, body.candidate_id)
        invitation = invitations.invite(
            api.session,
            api.settings,
            candidate,
            actor=api.actor,
            expires_at=invitations.ats_expiry(api.settings, body.expires_at),
            feedback_to_candidate=body.feedback_to_candidate,
            questionnaire_id=body.questionnaire_id,
            send=body.send_invitation,
            candidate_names_referees=body.candidate_names_referees,
        )
        return 201, _shown(api.session, api.settings, invitation.assessment, invitation=invitation.link)

    return once.run(api, body, produce)


@router.get("", name="api_assessments", response_model=AssessmentPage, responses=problems())
def list_assessments(
    api: ReadApi,
    candidate_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    role_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    status: Status | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """List assessments, most recently changed first, filtered by candidate, role or status."""
    page = candidates.list_assessments(
        api.session, candidate_id=candidate_id, role_id=role_id, status=status, after=cursor, limit=limit
    )
    return listed(page, lambda assessment: assessment_out(api.session, api.settings, assessment))


@router.get("/{assessment_id}", name="api_assessment", response_model=AssessmentOut, responses=problems(404))
def get_assessment(api: ReadApi, assessment_id: AssessmentId) -> dict[str, Any]:
    """Get an assessment and its status (created, invited, started, completed, expired, cancelled)."""
    return assessment_out(api.session, api.settings, assessments.get_shared(api.session, assessment_id))


@router.post(
    "/{assessment_id}/cancel",
    name="api_assessment_cancel",
    response_model=AssessmentOut,
    responses=problems(404, 409),
)
def cancel_assessment(api: WriteApi, assessment_id: AssessmentId, once: idempotency.Idempotent) -> JSONResponse:
    """Cancel an assessment that is not completed: its invitation link stops working at once."""

    def produce() -> tuple[int, Any]:
        assessment = assessments.get_shared(api.session, assessment_id)
        invitations.revoke(api.session, assessment, actor=api.actor)
        return 200, _shown(api.session, api.settings, assessment)

    return once.run(api, None, produce)


@router.get("/{assessment_id}/result", name="api_assessment_result", response_model=ResultOut, responses=problems(404))
def get_result(
    api: ReadApi,
    assessment_id: AssessmentId,
    lang: Annotated[Literal["nl", "en"] | None, Query(description="Language of the texts; default: as taken.")] = None,
) -> Response:
    """Get the full result (the engine's result contract) and the report URL of a completed assessment."""
    assessment, language, stored = assessments.result_json(api.session, assessment_id)
    if stored is None:
        raise NotFound(f"assessment '{assessment_id}' has no result yet (status {assessment.status})")
    if language != (lang or assessment.language):
        stored = json.dumps(assessments.localised_result(api.session, assessment, lang or assessment.language))
    # The stored JSON is passed on as it is: parsing and re-serialising 12 KB was most of a read's cost.
    head = json.dumps({"assessment_id": assessment.id, "report_url": report_url(api.session, api.settings, assessment)})
    return Response(f'{head[:-1]},"result":{stored}}}', media_type="application/json")
