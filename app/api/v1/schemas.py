"""Request and response bodies of /api/v1: strict requests (unknown fields are 422), examples for the docs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

MAX_ID = 2_147_483_647
# NUL cannot be stored in PostgreSQL text; saying so in the schema keeps clients (and fuzzers) honest.
NO_NUL = r"^[^\x00]*$"
# Names and titles are trimmed when stored, so they need one character that is not white space.
NOT_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"


def _reasonable(value: dt.datetime) -> dt.datetime:
    if not 2000 <= value.year <= 2100:
        raise ValueError(f"{value.isoformat()} is outside the years 2000 to 2100")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_reasonable)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Language = Literal["nl", "en"]
Email = Annotated[str, Field(max_length=320, pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")]


def text(max_length: int, min_length: int = 0, *, required: bool = False, blank: bool = True) -> Any:
    pattern = NO_NUL if blank else NOT_BLANK
    return Field(default=... if required else None, min_length=min_length, max_length=max_length, pattern=pattern)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalisedText(BaseModel):
    nl: str
    en: str


# ---------------------------------------------------------------------------------------------- questionnaires


class QuestionnaireSummary(BaseModel):
    id: str
    kind: str
    title: LocalisedText
    version: str = Field(description="The content hash of the current version.")
    estimated_minutes: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "self-test",
                    "kind": "self_test",
                    "title": {"nl": "Zelftest", "en": "Self-test"},
                    "version": "9f2c0c8d4e1b",
                    "estimated_minutes": 15,
                }
            ]
        }
    )


class QuestionnaireDetail(QuestionnaireSummary):
    description: LocalisedText
    audience: LocalisedText | None
    sections: list[dict[str, Any]] = Field(
        description="Sections with their items as a candidate sees them: texts, options, scales; no scoring keys."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "self-test",
                    "kind": "self_test",
                    "title": {"nl": "Zelftest", "en": "Self-test"},
                    "version": "9f2c0c8d4e1b",
                    "estimated_minutes": 15,
                    "description": {"nl": "Waar sta je?", "en": "Where do you stand?"},
                    "audience": None,
                    "sections": [
                        {
                            "id": "strategy",
                            "title": {"nl": "Strategie", "en": "Strategy"},
                            "intro": None,
                            "items": [
                                {
                                    "id": "first_question",
                                    "type": "single_choice",
                                    "text": {"nl": "Wat vraag je eerst?", "en": "What do you ask first?"},
                                    "help": None,
                                    "required": True,
                                    "options": [
                                        {"id": "goal", "text": {"nl": "Het doel", "en": "The goal"}},
                                        {"id": "channel", "text": {"nl": "Het kanaal", "en": "The channel"}},
                                    ],
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )


class QuestionnairePage(BaseModel):
    items: list[QuestionnaireSummary]
    next_cursor: str | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": "self-test",
                            "kind": "self_test",
                            "title": {"nl": "Zelftest", "en": "Self-test"},
                            "version": "9f2c0c8d4e1b",
                            "estimated_minutes": 15,
                        }
                    ],
                    "next_cursor": None,
                }
            ]
        }
    )


# ------------------------------------------------------------------------------------------------------- roles

ROLE_EXAMPLE: dict[str, Any] = {
    "title": "Social media manager",
    "department": "Marketing",
    "description": "Owns the social channels as part of the marketing plan.",
    "language": "en",
}


class RoleIn(Strict):
    title: str = text(200, 1, required=True, blank=False)
    department: str | None = text(200)
    description: str | None = text(10_000)
    language: Language = "en"

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ROLE_EXAMPLE]})


ROLE_OUT_EXAMPLE: dict[str, Any] = {
    "id": 12,
    **ROLE_EXAMPLE,
    "created_at": "2026-11-28T09:00:00Z",
    "updated_at": "2026-11-28T09:00:00Z",
}


class RoleOut(BaseModel):
    id: int
    title: str
    department: str | None
    description: str | None
    language: str
    created_at: dt.datetime
    updated_at: dt.datetime

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [ROLE_OUT_EXAMPLE]},
    )


class RolePage(BaseModel):
    items: list[RoleOut]
    next_cursor: str | None

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [ROLE_OUT_EXAMPLE], "next_cursor": "WyJTb2NpYWwiLDEyXQ"}]}
    )


# -------------------------------------------------------------------------------------------------- candidates

CANDIDATE_EXAMPLE: dict[str, Any] = {
    "first_name": "Sam",
    "last_name": "de Vries",
    "email": "sam@example.com",
    "language": "nl",
    "role_id": 12,
    "external_ref": "greenhouse-application-4711",
}


class CandidateIn(Strict):
    first_name: str = text(200, 1, required=True, blank=False)
    last_name: str = text(200, 1, required=True, blank=False)
    email: Email | None = None
    language: Language = "en"
    role_id: Id | None = None
    kind: Literal["applicant", "employee"] = "applicant"
    external_ref: str | None = text(200)

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CANDIDATE_EXAMPLE]})


class CandidateUpdate(Strict):
    first_name: str | None = text(200, 1, blank=False)
    last_name: str | None = text(200, 1, blank=False)
    email: Email | None = None
    language: Language | None = None
    role_id: Id | None = None
    external_ref: str | None = text(200)

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"email": "sam.devries@example.com"}]})


CANDIDATE_OUT_EXAMPLE: dict[str, Any] = {
    "id": 31,
    **CANDIDATE_EXAMPLE,
    "kind": "applicant",
    "status": "invited",
    "created_at": "2026-11-28T09:05:00Z",
    "updated_at": "2026-11-28T09:05:00Z",
    "retention_until": "2027-02-26T09:05:00Z",
    "erased_at": None,
}


class CandidateOut(BaseModel):
    id: int
    first_name: str
    last_name: str
    email: str | None
    language: str
    role_id: int | None
    kind: str
    external_ref: str | None
    status: str | None = Field(default=None, description="The procedure status, as the HR workspace shows it.")
    created_at: dt.datetime
    updated_at: dt.datetime
    retention_until: dt.datetime | None = Field(
        default=None, description="When the personal data will be erased (retention); null once erased."
    )
    erased_at: dt.datetime | None = Field(default=None, description="When the personal data was erased, if it was.")

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [CANDIDATE_OUT_EXAMPLE]},
    )


class CandidatePage(BaseModel):
    items: list[CandidateOut]
    next_cursor: str | None

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [CANDIDATE_OUT_EXAMPLE], "next_cursor": None}]})
