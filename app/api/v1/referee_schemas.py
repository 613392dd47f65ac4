"""Request and response bodies of the referee routes and the combined result (/api/v1)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.v1.schemas import Email, Language, Moment, Strict, text
from app.referees.models import NamedBy, RefereeStatus, Relation

REFEREE_EXAMPLE: dict[str, Any] = {
    "name": "Marta Visser",
    "email": "marta.visser@example.org",
    "relation": "manager",
    "period": "2021-2024",
    "language": "nl",
}


class ConsentIn(Strict):
    agreed: Literal[True] = Field(description="true: the candidate agreed that referees are contacted.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"agreed": True}]})


class ConsentOut(BaseModel):
    candidate_id: int = Field(description="The candidate who agreed.")
    given_at: dt.datetime = Field(description="When the consent was recorded.")
    recorded_by: str = Field(
        description="Who recorded it: the API key's actor name, the HR user, or `candidate` when the candidate"
        " agreed on their own link while naming a referee."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"candidate_id": 31, "given_at": "2026-11-30T09:00:00Z", "recorded_by": "api:ats"}]
        }
    )


class ConsentWithdrawn(BaseModel):
    candidate_id: int = Field(description="The candidate who withdrew consent.")
    revoked: int = Field(description="How many open referee links stopped working.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"candidate_id": 31, "revoked": 1}]})


class RefereeIn(Strict):
    name: str = text(200, 1, required=True, blank=False, description="The referee's name.")
    email: Email = Field(description="Where the referee's link is sent.")
    relation: Relation = Field(description="How they worked with the candidate: manager, colleague or client.")
    period: str = text(100, 1, required=True, blank=False, description="When they worked together (2021-2024).")
    language: Language = Field(default="nl", description="The language of the referee's mail and questions.")
    expires_at: Moment | None = Field(
        default=None, description="When the link stops working; default: the API's invitation period from now."
    )
    send_invitation: bool = Field(default=True, description="E-mail the link to the referee (else: only returned).")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [REFEREE_EXAMPLE]})


class LinkIn(Strict):
    expires_at: Moment | None = Field(
        default=None, description="When the new link stops working; default: the API's invitation period from now."
    )
    send_invitation: bool = Field(default=True, description="E-mail the new link to the referee.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"send_invitation": True}]})


REFEREE_OUT_EXAMPLE: dict[str, Any] = {
    "id": 7,
    "candidate_id": 31,
    **REFEREE_EXAMPLE,
    "named_by": "hr",
    "status": "invited",
    "assessment_id": "6f1d0c2e9b8a4d3c2b1a0f9e8d7c6b5a",
    "created_at": "2026-11-30T09:01:00Z",
    "started_at": None,
    "completed_at": None,
    "expires_at": "2026-12-14T09:01:00Z",
    "invitation_url": None,
}


class RefereeOut(BaseModel):
    id: int = Field(description="The referee's id.")
    candidate_id: int = Field(description="The candidate they give a reference for.")
    name: str = Field(description="The referee's name ([erased] once the candidate was erased).")
    email: str = Field(description="The referee's e-mail address ([erased] once the candidate was erased).")
    relation: Relation = Field(description="manager, colleague or client.")
    period: str = Field(description="When they worked together.")
    language: str = Field(description="The language of the referee's mail and questions.")
    named_by: NamedBy = Field(
        description="Who named the referee: `hr` (the workspace or this API) or `candidate` (on their own link,"
        " when the invitation allowed it with `candidate_names_referees`)."
    )
    status: RefereeStatus = Field(description="invited, started, completed, expired or revoked.")
    assessment_id: str | None = Field(description="The referee's statement (an assessment of mode referee).")
    created_at: dt.datetime = Field(description="When the referee was added.")
    started_at: dt.datetime | None = Field(description="When the referee agreed and started; null before.")
    completed_at: dt.datetime | None = Field(description="When the statement was submitted; null before.")
    expires_at: dt.datetime | None = Field(description="When the link stops working.")
    invitation_url: str | None = Field(
        default=None,
        json_schema_extra={"format": "uri"},
        description="The referee's personal link: only in the answer that made it (create, resend), else null.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [REFEREE_OUT_EXAMPLE | {"invitation_url": "https://touchstone.example.com/r/3q2-Yx..."}]
        }
    )


class RefereeList(BaseModel):
    items: list[RefereeOut] = Field(description="The candidate's referees, oldest first (at most 3 not revoked).")

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [REFEREE_OUT_EXAMPLE]}]})


COMBINED_DESCRIPTION = (
    "The engine's result contract for the combined result (README, *The result contract*), with the"
    " `references` block once referees answered: per dimension each referee's score and agreement, per"
    " claim who confirmed or contradicted it, and fraud signals for HR to check. Null while nothing is"
    " completed."
)


class CombinedOut(BaseModel):
    candidate_id: int = Field(description="The candidate.")
    report_url: str = Field(
        json_schema_extra={"format": "uri"}, description="The combined report in the HR workspace (sign-in required)."
    )
    self_test_id: str | None = Field(description="The latest completed self-test in the result.")
    hr_assessment_id: str | None = Field(description="The latest completed HR assessment in the result.")
    reference_ids: list[str] = Field(description="The completed referee statements in the result.")
    result: dict[str, Any] | None = Field(description=COMBINED_DESCRIPTION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "candidate_id": 31,
                    "report_url": "https://touchstone.example.com/hr/candidates/31/report",
                    "self_test_id": "0b7c9e1d2f3a4b5c6d7e8f9a0b1c2d3e",
                    "hr_assessment_id": None,
                    "reference_ids": ["6f1d0c2e9b8a4d3c2b1a0f9e8d7c6b5a"],
                    "result": {
                        "verdict": {"code": "ready_with_mentor", "label": "Ready with a mentor", "reasons": []},
                        "evidence": {"overall": 68.0, "dimensions": {}},
                        "references": {"referees": [], "dimensions": {}, "claims": [], "fraud_signals": []},
                    },
                }
            ]
        }
    )
