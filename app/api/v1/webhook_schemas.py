"""Request and response bodies of /api/v1 for webhook endpoints, their deliveries and the events they receive."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.v1.schemas import HTTP_URL, Strict

EventType = Literal[
    "assessment.started",
    "assessment.completed",
    "assessment.expired",
    "assessment.cancelled",
    "candidate.erased",
    "reference.completed",
    "result.updated",
]

ENDPOINT_EXAMPLE: dict[str, Any] = {
    "id": 4,
    "url": "https://ats.example.com/hooks/touchstone",
    "description": "Production ATS",
    "events": ["assessment.completed"],
    "active": True,
    "disabled_reason": None,
    "previous_secret_valid_until": None,
    "created_at": "2026-11-28T09:00:00Z",
}
WHSEC_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class WebhookEndpointIn(Strict):
    url: str = Field(
        min_length=1,
        max_length=2000,
        pattern=HTTP_URL,
        json_schema_extra={"format": "uri"},
        description="Where deliveries are POSTed: an http(s) URL on a public address.",
    )
    events: list[EventType] = Field(min_length=1, max_length=10, description="The events this endpoint receives.")
    description: str | None = Field(
        default=None, max_length=200, pattern=r"^[^\x00]*$", description="A note for the people who manage it."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"url": "https://ats.example.com/hooks/touchstone", "events": ["assessment.completed"]},
            ]
        },
    )


class WebhookEndpointUpdate(Strict):
    active: bool | None = Field(
        default=None, description="false disables the endpoint (no new deliveries); true enables it again."
    )

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"active": False}]})


class WebhookEndpointOut(BaseModel):
    id: int = Field(description="The endpoint's id.")
    url: str = Field(json_schema_extra={"format": "uri"}, description="Where deliveries are POSTed.")
    description: str | None = Field(description="A note for the people who manage it.")
    events: list[str] = Field(description="The events this endpoint receives.")
    active: bool = Field(description="Whether new events are delivered to it.")
    disabled_reason: str | None = Field(description="Why it was disabled (by whom, or a 410 answer); null if active.")
    previous_secret_valid_until: dt.datetime | None = Field(
        description="After a rotation: until when deliveries are also signed with the previous secret."
    )
    created_at: dt.datetime = Field(description="When it was registered.")

    model_config = ConfigDict(json_schema_extra={"examples": [ENDPOINT_EXAMPLE]})


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str = Field(description="The signing secret (Standard Webhooks, whsec_...): shown only in this response.")

    model_config = ConfigDict(json_schema_extra={"examples": [{**ENDPOINT_EXAMPLE, "secret": WHSEC_EXAMPLE}]})


class WebhookEndpointPage(BaseModel):
    items: list[WebhookEndpointOut] = Field(description="Every endpoint, newest first.")
    next_cursor: str | None = Field(description="Always null: every endpoint fits on one page.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [ENDPOINT_EXAMPLE], "next_cursor": None}]})


class WebhookSecret(BaseModel):
    secret: str = Field(description="The new signing secret: shown only in this response.")
    previous_secret_valid_until: dt.datetime = Field(
        description="Until then deliveries carry a signature with the old secret too, so receivers can switch."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"secret": WHSEC_EXAMPLE, "previous_secret_valid_until": "2026-11-29T09:00:00Z"}]
        }
    )


DELIVERY_EXAMPLE: dict[str, Any] = {
    "id": 88,
    "event_type": "assessment.completed",
    "webhook_id": "msg_2b7c9d0e1f2a3b4c",
    "status": "pending",
    "attempts": 2,
    "next_attempt_at": "2026-11-28T09:16:10Z",
    "last_status_code": 503,
    "last_error": "HTTP 503",
    "created_at": "2026-11-28T09:15:00Z",
    "delivered_at": None,
}


class DeliveryOut(BaseModel):
    id: int = Field(description="The delivery's id.")
    event_type: str = Field(description="The event delivered.")
    webhook_id: str = Field(description="The webhook-id header: the same on every attempt of this event.")
    status: Literal["pending", "succeeded", "failed"] = Field(
        description="pending: to be (re)tried; succeeded: a 2xx came back; failed: attempts ran out or 410."
    )
    attempts: int = Field(description="Attempts made so far.")
    next_attempt_at: dt.datetime | None = Field(description="When the next attempt is due; null unless pending.")
    last_status_code: int | None = Field(description="The HTTP status of the last attempt; null if none came back.")
    last_error: str | None = Field(description="Why the last attempt failed; null after a success.")
    created_at: dt.datetime = Field(description="When the event was queued for this endpoint.")
    delivered_at: dt.datetime | None = Field(description="When a 2xx came back.")

    model_config = ConfigDict(json_schema_extra={"examples": [DELIVERY_EXAMPLE]})


class DeliveryPage(BaseModel):
    items: list[DeliveryOut] = Field(description="The latest deliveries, newest first.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [DELIVERY_EXAMPLE]}]})
