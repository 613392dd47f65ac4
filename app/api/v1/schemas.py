"""Request and response bodies of /api/v1: strict requests (unknown fields are 422), examples for the docs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.i18n import N_

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
# What check_url accepts at most: http(s), a host without user name or password; the address is checked on saving.
HTTP_URL = r"^[hH][tT][tT][pP][sS]?://[^\s@/?#]+([/?#]\S*)?$"
Email = Annotated[str, Field(max_length=320, pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")]
Item = TypeVar("Item")


class CursorPage(BaseModel, Generic[Item]):
    """One page of a list route: its rows and the cursor of the next page (common.listed answers it)."""

    items: list[Item] = Field(description="The rows on this page, in the list's order.")
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last.")


def text(
    max_length: int, min_length: int = 0, *, required: bool = False, blank: bool = True, description: str | None = None
) -> Any:
    pattern = NO_NUL if blank else NOT_BLANK
    return Field(
        default=... if required else None,
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        description=description,
    )


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LocalisedText(BaseModel):
    nl: str = Field(description="The Dutch text.")
    en: str = Field(description="The English text.")


# ---------------------------------------------------------------------------------------------- questionnaires


QUESTIONNAIRE_EXAMPLE: dict[str, Any] = {
    "id": "self-test",
    "kind": "self_test",
    "title": {"nl": "Zelftest", "en": "Self-test"},
    "version": "9f2c0c8d4e1b",
    "estimated_minutes": 15,
}


class QuestionnaireSummary(BaseModel):
    id: str = Field(description="The questionnaire's id (ordered by this id).")
    kind: str = Field(description="self_test, hr_assessment or role_assessment.")
    title: LocalisedText = Field(description="The title in Dutch and English.")
    version: str = Field(description="The content hash of the current version.")
    estimated_minutes: int = Field(description="About how long it takes, in minutes.")

    model_config = ConfigDict(json_schema_extra={"examples": [QUESTIONNAIRE_EXAMPLE]})


class QuestionnaireDetail(QuestionnaireSummary):
    description: LocalisedText = Field(description="What the questionnaire is about, in Dutch and English.")
    audience: LocalisedText | None = Field(description="For whom it is meant; null if for anyone.")
    sections: list[dict[str, Any]] = Field(
        description="Sections with their items as a candidate sees them: texts, options, scales; no scoring keys."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **QUESTIONNAIRE_EXAMPLE,
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


class QuestionnairePage(CursorPage[QuestionnaireSummary]):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [QUESTIONNAIRE_EXAMPLE], "next_cursor": None}]})


# ------------------------------------------------------------------------------------------------------- roles

ROLE_EXAMPLE: dict[str, Any] = {
    "title": "Social media manager",
    "department": "Marketing",
    "description": "Owns the social channels as part of the marketing plan.",
    "language": "en",
}


class RoleIn(Strict):
    title: str = text(200, 1, required=True, blank=False, description="The role's title.")
    department: str | None = text(200, description="The department it belongs to.")
    description: str | None = text(10_000, description="What the role involves.")
    language: Language = Field(default="en", description="The language of the role's texts and reports.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [ROLE_EXAMPLE]})


ROLE_OUT_EXAMPLE: dict[str, Any] = {
    "id": 12,
    **ROLE_EXAMPLE,
    "created_at": "2026-11-28T09:00:00Z",
    "updated_at": "2026-11-28T09:00:00Z",
}


class RoleOut(BaseModel):
    id: int = Field(description="The role's id.")
    title: str = Field(description="The role's title.")
    department: str | None = Field(description="The department it belongs to.")
    description: str | None = Field(description="What the role involves.")
    language: str = Field(description="The language of the role's texts and reports.")
    created_at: dt.datetime = Field(description="When it was created.")
    updated_at: dt.datetime = Field(description="When it last changed.")

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [ROLE_OUT_EXAMPLE]},
    )


class RolePage(CursorPage[RoleOut]):
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
    first_name: str = text(200, 1, required=True, blank=False, description="The candidate's first name.")
    last_name: str = text(200, 1, required=True, blank=False, description="The candidate's last name.")
    email: Email | None = Field(default=None, description="Where invitations are sent.")
    language: Language = Field(default="en", description="The language of the invitation and the questions.")
    role_id: Id | None = Field(default=None, description="The role applied for.")
    kind: Literal["applicant", "employee"] = Field(default="applicant", description="applicant or employee.")
    external_ref: str | None = text(200, description="Your own reference, e.g. the ATS application id.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CANDIDATE_EXAMPLE]})


# A field a candidate always has: left out, it keeps its value; null would empty it, so null is refused.
NOT_NULL = N_("This field cannot be empty; leave it out to keep its value.")


class CandidateUpdate(Strict):
    first_name: str | SkipJsonSchema[None] = text(200, 1, blank=False, description="The candidate's first name.")
    last_name: str | SkipJsonSchema[None] = text(200, 1, blank=False, description="The candidate's last name.")
    email: Email | None = Field(default=None, description="Where invitations are sent.")
    language: Language | SkipJsonSchema[None] = Field(
        default=None, description="The language of the invitation and the questions."
    )
    role_id: Id | None = Field(default=None, description="The role applied for.")
    external_ref: str | None = text(200, description="Your own reference, e.g. the ATS application id.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"email": "sam.devries@example.com"}]})

    @field_validator("first_name", "last_name", "language", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for a value sent (before the length and pattern checks, which cannot take null): a field
        # left out keeps its default without validation.
        if value is None:
            raise ValueError(NOT_NULL)
        return value


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
    id: int = Field(description="The candidate's id.")
    first_name: str = Field(description="The candidate's first name.")
    last_name: str = Field(description="The candidate's last name.")
    email: str | None = Field(description="Where invitations are sent.")
    language: str = Field(description="The language of the invitation and the questions.")
    role_id: int | None = Field(description="The role applied for.")
    kind: str = Field(description="applicant or employee.")
    external_ref: str | None = Field(description="Your own reference, e.g. the ATS application id.")
    status: str | None = Field(default=None, description="The procedure status, as the HR workspace shows it.")
    created_at: dt.datetime = Field(description="When it was created.")
    updated_at: dt.datetime = Field(description="When it last changed.")
    retention_until: dt.datetime | None = Field(
        default=None, description="When the personal data will be erased (retention); null once erased."
    )
    erased_at: dt.datetime | None = Field(default=None, description="When the personal data was erased, if it was.")

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [CANDIDATE_OUT_EXAMPLE]},
    )


class CandidatePage(CursorPage[CandidateOut]):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [CANDIDATE_OUT_EXAMPLE], "next_cursor": None}]})
