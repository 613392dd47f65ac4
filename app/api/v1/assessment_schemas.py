"""Request and response bodies of /api/v1 for assessments and results."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.v1.schemas import CursorPage, Id, Moment, Strict
from app.scoring.model import Verdict


class AssessmentIn(Strict):
    candidate_id: Id = Field(description="The candidate who takes it.")
    questionnaire_id: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z][a-z0-9-]*$",
        description="The questionnaire (GET /api/v1/questionnaires).",
    )
    expires_at: Moment | None = Field(default=None, description="Defaults to TOUCHSTONE_API_INVITATION_DAYS.")
    feedback_to_candidate: bool = Field(
        default=True, description="Show the candidate their own feedback after submitting."
    )
    send_invitation: bool = Field(default=False, description="E-mail the invitation link to the candidate.")
    candidate_names_referees: bool = Field(
        default=False,
        description="After submitting, the candidate may name one to three referees on their own link (they"
        " consent there; the referees get their links by e-mail and are listed with `named_by: candidate`).",
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"candidate_id": 31, "questionnaire_id": "self-test", "send_invitation": True}]
        },
    )


ASSESSMENT_EXAMPLE: dict[str, Any] = {
    "id": "5b0d6c1f2a3e4d5c6b7a8f9e0d1c2b3a",
    "questionnaire_id": "self-test",
    "questionnaire_version": "9f2c0c8d4e1b",
    "candidate_id": 31,
    "role_id": 12,
    "mode": "api",
    "language": "nl",
    "status": "invited",
    "expires_at": "2026-12-12T09:10:00Z",
    "created_at": "2026-11-28T09:10:00Z",
    "started_at": None,
    "completed_at": None,
    "invitation_url": None,
    "report_url": "https://touchstone.example.com/hr/candidates/31/report",
    "candidate_names_referees": False,
}


class AssessmentOut(BaseModel):
    id: str = Field(description="The assessment's id (hexadecimal).")
    questionnaire_id: str = Field(description="The questionnaire taken.")
    questionnaire_version: str = Field(description="The content hash of the version taken.")
    candidate_id: int | None = Field(description="The candidate; null for an anonymous self-test.")
    role_id: int | None = Field(description="The role it is for, if any.")
    mode: str = Field(description="invitation, api, hr or anonymous: how it was ordered.")
    language: str = Field(description="The language of the questions and the result.")
    status: Literal["created", "invited", "started", "completed", "expired", "cancelled"] = Field(
        description="Where the assessment stands."
    )
    expires_at: dt.datetime | None = Field(description="When the link stops working; null if never.")
    created_at: dt.datetime = Field(description="When it was ordered.")
    started_at: dt.datetime | None = Field(description="When the first answer was saved.")
    completed_at: dt.datetime | None = Field(description="When it was submitted.")
    invitation_url: str | None = Field(
        json_schema_extra={"format": "uri"},
        description="The candidate's link; only in the response that created the assessment (it is stored hashed).",
    )
    report_url: str = Field(
        json_schema_extra={"format": "uri"}, description="The report in the HR workspace (sign-in required)."
    )
    candidate_names_referees: bool = Field(
        default=False, description="Whether the candidate may name their own referees after submitting."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **ASSESSMENT_EXAMPLE,
                    "invitation_url": "https://touchstone.example.com/t/3q2-Yx...",
                }
            ]
        }
    )


class AssessmentPage(CursorPage[AssessmentOut]):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [ASSESSMENT_EXAMPLE], "next_cursor": None}]})


RESULT_DESCRIPTION = (
    "The engine's result contract, unchanged (README, *The result contract*). `verdict.code` is one of "
    + ", ".join(f"`{v.value}`" for v in Verdict)
    + ". `insufficient_evidence` means too little was observed to judge (for example an HR assessment with most"
    " scales not observed): `verdict.reasons` say what is missing and `evidence.coverage` gives the counts."
    " `integrity` lists careless-responding flags (implausibly fast sections, straight-lining, pasted text) that"
    " lower `verdict.confidence`; show them to HR, not to the candidate."
)


class ResultOut(BaseModel):
    assessment_id: str = Field(description="The assessment scored.")
    report_url: str = Field(
        json_schema_extra={"format": "uri"}, description="The report in the HR workspace (sign-in required)."
    )
    result: dict[str, Any] = Field(description=RESULT_DESCRIPTION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "assessment_id": ASSESSMENT_EXAMPLE["id"],
                    "report_url": ASSESSMENT_EXAMPLE["report_url"],
                    "result": {
                        "questionnaire": {"id": "self-test", "kind": "self_test", "title": "Self-test"},
                        "scored_at": "2026-11-28",
                        "language": "en",
                        "evidence": {"overall": 71.5, "dimensions": {}},
                        "claims": {"index": 12.4, "signals": []},
                        "calibration": {"code": "calibrated"},
                        "verdict": {"code": "ready_with_mentor", "label": "Ready with a mentor", "reasons": []},
                        "mentoring": {"discipline": "marketing", "focus": []},
                    },
                }
            ]
        }
    )


class RoleAssessmentOut(ResultOut):
    role_id: int = Field(description="The role assessed.")
