"""The events Touchstone POSTs to webhook endpoints, for the OpenAPI document's `webhooks` section."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header
from pydantic import BaseModel, ConfigDict, Field

from app.api.v1.common import route_name
from app.scoring.model import Verdict

router = APIRouter(tags=["webhooks"], generate_unique_id_function=route_name)

WebhookId = Annotated[
    str, Header(alias="webhook-id", description="The event's id: the same on every attempt; deduplicate on it.")
]
WebhookTimestamp = Annotated[
    str, Header(alias="webhook-timestamp", description="Seconds since the Unix epoch when this attempt was signed.")
]
WebhookSignature = Annotated[
    str,
    Header(
        alias="webhook-signature",
        description="Space-separated v1,<base64 HMAC-SHA256> signatures (Standard Webhooks); two after a rotation.",
    ),
]
ANSWER: dict[int | str, dict[str, Any]] = {
    "2XX": {"description": "Received: no retry."},
    "410": {"description": "Gone: disable this endpoint."},
}


class AssessmentData(BaseModel):
    assessment_id: str = Field(description="The assessment's id (GET /api/v1/assessments/{id}).")
    candidate_id: int | None = Field(description="The candidate's id; null for an anonymous self-test.")
    role_id: int | None = Field(description="The role's id, if the assessment is for one.")
    status: str = Field(description="The assessment's status after the event.")


class ResultSummary(BaseModel):
    verdict: Verdict | None = Field(description="The verdict code.")
    evidence_overall: float | None = Field(description="What the answers show (0-100); null when nothing was observed.")
    claims_index: float | None = Field(description="How much was claimed without evidence (0-100).")
    calibration: str | None = Field(description="calibrated, over_claiming or under_claiming.")


class CompletedData(AssessmentData):
    result: ResultSummary = Field(description="The headline numbers; the full result is at /result.")


class ErasedData(BaseModel):
    candidate_id: int = Field(description="The candidate whose personal data was erased.")


class ReferenceData(BaseModel):
    referee_id: int = Field(description="The referee (GET /api/v1/referees/{id}).")
    candidate_id: int = Field(description="The candidate the statement is about.")
    assessment_id: str = Field(description="The referee's statement (an assessment of mode referee).")
    relation: str = Field(description="manager, colleague or client.")
    status: Literal["completed"] = Field(description="The referee's status after the event.")


class ResultData(BaseModel):
    candidate_id: int = Field(description="The candidate; read the result at /api/v1/candidates/{id}/result.")
    reason: Literal["reference_completed", "assessment_completed", "rubric_rescored"] = Field(
        description="What changed it: a referee's statement, an assessment joining the result, or a rubric re-score."
    )
    assessment_id: str = Field(description="The assessment or referee statement that changed it.")


class _Event(BaseModel):
    timestamp: dt.datetime = Field(description="When the event happened (UTC).")

    model_config = ConfigDict(extra="forbid")


class _AssessmentEvent(_Event):
    data: AssessmentData = Field(description="Ids and status; never personal data.")


class AssessmentStarted(_AssessmentEvent):
    type: Literal["assessment.started"] = Field(description="The event type.")


class AssessmentCompleted(_Event):
    type: Literal["assessment.completed"] = Field(description="The event type.")
    data: CompletedData = Field(description="Ids, status and the headline result; never personal data.")


class AssessmentExpired(_AssessmentEvent):
    type: Literal["assessment.expired"] = Field(description="The event type.")


class AssessmentCancelled(_AssessmentEvent):
    type: Literal["assessment.cancelled"] = Field(description="The event type.")


class CandidateErased(_Event):
    type: Literal["candidate.erased"] = Field(description="The event type.")
    data: ErasedData = Field(description="The erased candidate's id.")


class ReferenceCompleted(_Event):
    type: Literal["reference.completed"] = Field(description="The event type.")
    data: ReferenceData = Field(description="Ids and relation; never the referee's name, address or answers.")


class ResultUpdated(_Event):
    type: Literal["result.updated"] = Field(description="The event type.")
    data: ResultData = Field(description="The candidate and the cause; never personal data.")


RETRIES = """

Answer 2xx once received; 410 disables the endpoint; any other answer, or none within the timeout,
is retried with backoff (same webhook-id)."""
EVENTS: tuple[tuple[type[_Event], str], ...] = (
    (AssessmentStarted, "The candidate saved a first answer."),
    (AssessmentCompleted, "The candidate submitted and the result exists."),
    (AssessmentExpired, "The invitation link expired before the candidate submitted."),
    (AssessmentCancelled, "The assessment was withdrawn; its link stopped working."),
    (CandidateErased, "The candidate's personal data was erased; delete your copy too."),
    (ReferenceCompleted, "A referee submitted their statement about a candidate."),
    (
        ResultUpdated,
        "The candidate's combined result changed: a referee answered, an assessment joined it or was re-scored.",
    ),
)


def _document(payload: type[_Event], summary: str) -> None:
    """Add one event to the `webhooks` section: its body, the signature headers and the answers it expects."""

    def receive(
        body: BaseModel, webhook_id: WebhookId, timestamp: WebhookTimestamp, signature: WebhookSignature
    ) -> None:
        """Never called: the operation only documents what Touchstone sends."""

    event_type = payload.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    receive.__annotations__["body"] = payload  # FastAPI reads the body's schema from the annotation
    receive.__doc__ = summary + RETRIES
    router.post(event_type, name="webhook_" + event_type.replace(".", "_"), responses=ANSWER)(receive)


for _payload, _summary in EVENTS:
    _document(_payload, _summary)
