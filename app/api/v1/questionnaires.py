"""Questionnaires an ATS can order: the list and the candidate-facing definition."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from app.api.deps import ReadApi
from app.api.v1.common import listed, problems
from app.api.v1.schemas import QuestionnaireDetail, QuestionnairePage
from app.assessments import public as presenters
from app.assessments import service as assessments
from app.questionnaires import service as questionnaires

router = APIRouter(prefix="/questionnaires", tags=["questionnaires"])


@router.get("", name="api_questionnaires", response_model=QuestionnairePage, responses=problems())
def list_questionnaires(api: ReadApi) -> dict[str, Any]:
    """List the questionnaires (current versions) that assessments can be created for."""
    return listed(
        questionnaires.current_versions(api.session),
        lambda version: presenters.questionnaire_summary(version, assessments.compiled_for(version).questionnaire),
    )


@router.get(
    "/{questionnaire_id}", name="api_questionnaire", response_model=QuestionnaireDetail, responses=problems(404)
)
def get_questionnaire(
    api: ReadApi,
    questionnaire_id: Annotated[str, Path(description="The questionnaire's id (self-test, hr-assessment, ...).")],
) -> dict[str, Any]:
    """Get the current version of a questionnaire as a candidate sees it (no scoring keys)."""
    version = questionnaires.current_or_404(api.session, questionnaire_id)
    return presenters.public_questionnaire(version, assessments.compiled_for(version).questionnaire)
