"""Answers through the API, for an ATS that shows the questions itself: save as you go, then submit once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session
from starlette.responses import JSONResponse, Response

from app.api import idempotency
from app.api.deps import WriteApi
from app.api.v1.assessment_schemas import ResultOut
from app.api.v1.assessments import report_url
from app.api.v1.common import AssessmentId, answer_problems
from app.assessments import service as assessments
from app.assessments.models import Assessment, AssessmentMode, AssessmentStatus
from app.errors import Conflict, Forbidden, Invalid
from app.i18n import N_
from app.problems import ProblemResponse, language_headers, problem_body, template
from app.scoring import model as m

router = APIRouter(prefix="/assessments", tags=["assessments"])
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


REFEREE_ONLY = template(
    N_("assessment '%(id)s' is a referee's statement: only the referee answers it, on their own link")
)
HR_ONLY = template(N_("assessment '%(id)s' is an HR assessment: HR fills it in, in the workspace"))
ANSWERS_DIFFER = template(
    N_("this assessment was already submitted; these answers differ from the ones scored: %(items)s")
)
SAVED_REFUSED = template(N_("%(kept)s answer(s) saved, %(refused)s refused: %(items)s"))
NOT_SUBMITTED = template(N_("not submitted: %(kept)s answer(s) saved, %(refused)s refused or missing: %(items)s"))
# The questionnaires a candidate takes alone; the others are answered by someone else, on their own page.
_CANDIDATE_KINDS = frozenset({m.Kind.SELF_TEST})


def ensure_answered_here(session: Session, assessment: Assessment) -> None:
    """Refuse answers through the API for an assessment that someone else fills in on their own page (403).

    A referee's statement is the referee's word: only the referee gives it, on their own link. An HR or
    role assessment is HR's judgement, given in the workspace.
    """
    kind = assessments.compiled_of(session, assessment).questionnaire.kind
    if assessment.mode == AssessmentMode.REFEREE or kind == m.Kind.REFERENCE_CHECK:
        raise Forbidden(REFEREE_ONLY % {"id": assessment.id}, reason="referee_statement")
    if assessment.mode == AssessmentMode.HR or kind not in _CANDIDATE_KINDS:
        raise Forbidden(HR_ONLY % {"id": assessment.id}, reason="hr_assessment")


@router.put(
    "/{assessment_id}/answers",
    name="api_assessment_answers",
    response_model=AnswersSaved,
    responses=answer_problems(404, 409, 410, 413),
)
def save_answers(request: Request, api: WriteApi, assessment_id: AssessmentId, body: AnswersIn) -> Response:
    """Save answers of an open assessment; valid ones are kept even when others are refused (422 names them)."""
    assessment = assessments.get_shared(api.session, assessment_id)
    ensure_answered_here(api.session, assessment)
    refused = assessments.save_answers(api.session, assessment, body.answers)
    saved = len(assessments.answers_of(api.session, assessment))
    # Committed here, in this thread, before the answer is written out (see app.db.session).
    api.session.commit()
    if refused:
        # Answered, not raised: raising would roll back the valid answers along with the refused ones.
        refusal = _refused(request, assessment, body.answers, refused, saved)
        return ProblemResponse(refusal, status_code=422, headers=language_headers(request))
    return JSONResponse({"assessment_id": assessment.id, "saved": saved})


def _refused(
    request: Request,
    assessment: Assessment,
    given: dict[str, Any],
    errors: dict[str, str],
    saved: int,
    *,
    submitted: bool = False,
) -> dict[str, Any]:
    """Return the 422 problem of answers refused by name: what was kept, what was refused and why."""
    kept = [item_id for item_id in given if item_id not in errors]
    values = {
        "kept": len(kept),
        "refused": len(errors),
        "items": "; ".join(f"item '{k}': {v}" for k, v in list(errors.items())[:5]),
    }
    return problem_body(
        request,
        422,
        title="Invalid input",
        detail=(NOT_SUBMITTED if submitted else SAVED_REFUSED) % values,
        errors=errors,
        kept=kept,
        assessment_id=assessment.id,
        saved=saved,
    )


def _differs(stored: dict[str, Any], given: dict[str, Any]) -> list[str]:
    """Return the items whose value in ``given`` is not the stored one (a blank value: not stored)."""
    return [
        item_id
        for item_id, value in given.items()
        if (item_id not in stored if value in (None, "", [], {}) else stored.get(item_id) != value)
    ]


@router.post(
    "/{assessment_id}/submit",
    name="api_assessment_submit",
    response_model=ResultOut,
    responses=answer_problems(404, 409, 410, 413),
)
def submit(
    request: Request, api: WriteApi, assessment_id: AssessmentId, body: SubmitIn, once: idempotency.Idempotent
) -> JSONResponse:
    """Save the given answers, then score and close the assessment; submitting again returns the same result.

    Answers that are refused, or missing, are named in a 422 (the valid ones given are kept, as with
    PUT .../answers) and the assessment stays open. After a submit, other answers than the ones scored are 409.
    """

    def produce() -> tuple[int, Any]:
        assessment = assessments.get_shared(api.session, assessment_id)
        ensure_answered_here(api.session, assessment)
        if assessment.status == AssessmentStatus.COMPLETED and body.answers:
            # A retry of the submit that was scored is normal; other answers would be dropped without a word.
            changed = _differs(assessments.answers_of(api.session, assessment), body.answers)
            if changed:
                raise Conflict(
                    ANSWERS_DIFFER % {"items": ", ".join(f"'{item_id}'" for item_id in changed[:5])},
                    reason="completed",
                    errors={item_id: "differs from the answer scored" for item_id in changed},
                )
        try:
            stored = assessments.submit(api.session, assessment, actor=api.actor, answers=body.answers)
        except Invalid as invalid:
            if not isinstance(invalid.extra.get("errors"), dict):
                raise
            # Nothing was written yet: keep the valid answers given (as PUT .../answers does), refuse the submit.
            refused = assessments.save_answers(api.session, assessment, body.answers) if body.answers else {}
            saved = len(assessments.answers_of(api.session, assessment))
            errors = {**invalid.extra["errors"], **refused}
            return 422, _refused(request, assessment, body.answers, errors, saved, submitted=True)
        shown = {
            "assessment_id": assessment.id,
            "report_url": report_url(api.session, api.settings, assessment),
            "result": stored.result,
        }
        # Already JSON (the engine's result, or the stored one): checking its 12 KB against ResultOut and
        # dumping it again cost more than the scoring's bookkeeping around it.
        return 200, shown

    response = once.run(api, body, produce)
    api.session.commit()  # before the 12 KB result is written out
    return response
