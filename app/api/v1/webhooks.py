"""Webhook endpoints: register, list, rotate the signing secret, disable, delete, and follow deliveries.

The same service as the HR workspace's Webhooks page; every route needs the `webhooks` scope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import JSONResponse, Response

from app.api import idempotency
from app.api.deps import WebhooksApi
from app.api.v1.common import listed, problems
from app.api.v1.schemas import MAX_ID
from app.api.v1.webhook_schemas import (
    DeliveryOut,
    DeliveryPage,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPage,
    WebhookEndpointUpdate,
    WebhookSecret,
)
from app.webhooks import service as webhooks
from app.webhooks.models import DeliveryStatus, WebhookEndpoint

router = APIRouter(prefix="/webhook-endpoints", tags=["webhooks"])
EndpointId = Annotated[int, Path(ge=1, le=MAX_ID, description="The endpoint's id.")]


def _out(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return WebhookEndpointOut(
        id=endpoint.id or 0,
        url=endpoint.url,
        description=endpoint.description,
        events=endpoint.events,
        active=endpoint.is_active,
        disabled_reason=endpoint.disabled_reason,
        previous_secret_valid_until=endpoint.previous_secret_until if endpoint.previous_secret else None,
        created_at=endpoint.created_at,
    ).model_dump(mode="json")


@router.post(
    "",
    name="api_webhook_endpoint_create",
    status_code=201,
    response_model=WebhookEndpointCreated,
    responses=problems(409, 413),
)
def create_endpoint(api: WebhooksApi, body: WebhookEndpointIn, once: idempotency.Idempotent) -> JSONResponse:
    """Register an endpoint for the chosen events; the response holds its signing secret (shown only here)."""

    def produce() -> tuple[int, Any]:
        endpoint = webhooks.create_endpoint(
            api.session,
            api.settings,
            url=body.url,
            events=body.events,
            description=body.description,
            actor=api.actor,
        )
        return 201, {**_out(endpoint), "secret": endpoint.secret}

    return once.run(api, body, produce)


@router.get("", name="api_webhook_endpoints", response_model=WebhookEndpointPage, responses=problems())
def list_endpoints(api: WebhooksApi) -> dict[str, Any]:
    """List every webhook endpoint, newest first (signing secrets are never listed)."""
    return listed(webhooks.list_endpoints(api.session), _out)


@router.get("/{endpoint_id}", name="api_webhook_endpoint", response_model=WebhookEndpointOut, responses=problems(404))
def get_endpoint(api: WebhooksApi, endpoint_id: EndpointId) -> dict[str, Any]:
    """Get one webhook endpoint."""
    return _out(webhooks.get_endpoint(api.session, endpoint_id))


@router.patch(
    "/{endpoint_id}",
    name="api_webhook_endpoint_update",
    response_model=WebhookEndpointOut,
    responses=problems(404, 413),
)
def update_endpoint(api: WebhooksApi, endpoint_id: EndpointId, body: WebhookEndpointUpdate) -> dict[str, Any]:
    """Disable an endpoint (it gets no new deliveries) or enable it again; fields left out keep their value."""
    endpoint = webhooks.get_endpoint(api.session, endpoint_id)
    if body.active is not None:
        webhooks.set_active(api.session, endpoint, body.active, actor=api.actor)
    return _out(endpoint)


@router.delete("/{endpoint_id}", name="api_webhook_endpoint_delete", status_code=204, responses=problems(404))
def delete_endpoint(api: WebhooksApi, endpoint_id: EndpointId) -> Response:
    """Delete an endpoint and its delivery history; nothing more is sent to it."""
    webhooks.delete_endpoint(api.session, webhooks.get_endpoint(api.session, endpoint_id), actor=api.actor)
    return Response(status_code=204)


@router.post(
    "/{endpoint_id}/rotate-secret",
    name="api_webhook_endpoint_rotate_secret",
    response_model=WebhookSecret,
    responses=problems(404, 409),
)
def rotate_secret(api: WebhooksApi, endpoint_id: EndpointId, once: idempotency.Idempotent) -> JSONResponse:
    """Give the endpoint a new signing secret (shown only here); for 24 hours deliveries carry both signatures."""

    def produce() -> tuple[int, Any]:
        endpoint = webhooks.get_endpoint(api.session, endpoint_id)
        secret = webhooks.rotate_secret(api.session, endpoint, actor=api.actor)
        assert endpoint.previous_secret_until is not None  # set by the rotation
        reply = WebhookSecret(secret=secret, previous_secret_valid_until=endpoint.previous_secret_until)
        return 200, reply.model_dump(mode="json")

    return once.run(api, None, produce)


@router.get(
    "/{endpoint_id}/deliveries",
    name="api_webhook_endpoint_deliveries",
    response_model=DeliveryPage,
    responses=problems(404),
)
def list_deliveries(
    api: WebhooksApi,
    endpoint_id: EndpointId,
    limit: Annotated[int, Query(ge=1, le=100, description="How many of the latest deliveries.")] = 50,
) -> dict[str, Any]:
    """List an endpoint's latest deliveries: status, attempts, last answer and when the next retry is due."""
    webhooks.get_endpoint(api.session, endpoint_id)
    items = [
        DeliveryOut(
            id=delivery.id or 0,
            event_type=event.event_type,
            webhook_id=event.event_id,
            status=delivery.status.value if isinstance(delivery.status, DeliveryStatus) else delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at if delivery.status == DeliveryStatus.PENDING else None,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
        )
        for delivery, event in webhooks.endpoint_deliveries(api.session, endpoint_id, limit=limit)
    ]
    return {"items": items}
