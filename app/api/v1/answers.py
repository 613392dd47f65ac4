"""Answers through the API, for an ATS that shows the questions itself: save as you go, then submit once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from starlette.responses import JSONResponse, Response

from app.api import idempotency
from app.api.deps import WriteClient
from app.api.v1.assessment_schemas import ResultOut
from app.api.v1.common import AssessmentId, problems
from app.apikeys.service import actor_of
from app.assessments import public as presenters
from app.assessments import service as assessments
from app.deps import SessionDep, SettingsDep
from app.problems import problem

router = APIRouter(prefix="/assessments", tags=["assessments"])
_result = TypeAdapter(ResultOut)
ANSWERS_EXAMPLE: dict[str, Any] = {
    "self_title": "marketing_professional",
    "sjt_tiktok_competitors": {"best": "c", "worst": "a"},
    "roi_campaign": 65,
    "board_kpis": ["revenue_pipeline", "cost_per_lead"],
    "platform_tenure": {"linkedin": 12, "instagram": 8},
}


class AnswersIn(BaseModel):
    """Answers by item id, in the shapes of GET /api/v1/questionnaires/{id}; a null or empty value clears one."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"answers": ANSWERS_EXAMPLE}]})

    answers: dict[str, Any] = Field(max_length=500, description="Answers by item id; null or empty clears one.")


class SubmitIn(AnswersIn):
    """Optional last answers to save before submitting."""

    answers: dict[str, Any] = Field(
        default_factory=dict, max_length=500, description="Last answers by item id, saved before scoring."
    )


class AnswersSaved(BaseModel):
    assessment_id: str = Field(description="The assessment the answers belong to.")
    saved: int = Field(description="How many answers are stored now, in total.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"assessment_id": "9f2c4e0a1b3d4c5e", "saved": 5}]})


@router.put(
    "/{assessment_id}/answers",
    name="api_assessment_answers",
    response_model=AnswersSaved,
    responses=problems(404, 409, 410, 413),
)
def save_answers(
    request: Request, session: SessionDep, client: WriteClient, assessment_id: AssessmentId, body: AnswersIn
) -> Response:
    """Save answers of an open assessment; valid ones are kept even when others are refused (422 names them)."""
    assessment = assessments.get(session, assessment_id)
    refused = assessments.save_answers(session, assessment, body.answers)
    saved = len(assessments.answers_of(session, assessment))
    # Committed here, in this thread, before the answer is written out (see app.db.session).
    session.commit()
    if refused:
        # Answered, not raised: raising would roll back the valid answers along with the refused ones.
        kept = [item_id for item_id in body.answers if item_id not in refused]
        return problem(
            request,
            422,
            title="Invalid input",
            detail=f"{len(kept)} answer(s) saved, {len(refused)} refused: "
            + "; ".join(f"item '{k}': {v}" for k, v in list(refused.items())[:5]),
            errors=refused,
            kept=kept,
            assessment_id=assessment.id,
            saved=saved,
        )
    return JSONResponse({"assessment_id": assessment.id, "saved": saved})


@router.post(
    "/{assessment_id}/submit",
    name="api_assessment_submit",
    response_model=ResultOut,
    responses=problems(404, 409, 410, 413),
)
def submit(
    session: SessionDep,
    settings: SettingsDep,
    client: WriteClient,
    assessment_id: AssessmentId,
    body: SubmitIn,
    once: idempotency.Idempotent,
) -> JSONResponse:
    """Save the given answers, then score and close the assessment; submitting again returns the same result."""

    def produce() -> tuple[int, Any]:
        assessment = assessments.get(session, assessment_id)
        stored = assessments.submit(session, assessment, actor=actor_of(client), answers=body.answers)
        shown = {
            "assessment_id": assessment.id,
            "report_url": presenters.report_url(settings, assessment),
            "result": stored.result,
        }
        return 200, _result.dump_python(_result.validate_python(shown), mode="json")

    response = once.run(client, body, produce)
    session.commit()  # before the 12 KB result is written out
    return response
