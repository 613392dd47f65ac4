"""Admin pages for webhooks: endpoints (secret shown once), deliveries with retry, Greenhouse error reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.db import utcnow
from app.errors import Invalid
from app.i18n import N_
from app.integrations.greenhouse import service as greenhouse
from app.web.hr.common import ActiveForm, AdminHr, Hr, field_errors, secret_page
from app.webhooks import service as webhooks

router = APIRouter(include_in_schema=False)
NOT_CONFIRMED = N_("Tick the box to confirm: the receiver must switch to the new secret within 24 hours.")


class WebhookForm(BaseModel):
    """The new-endpoint form as entered; the service checks the URL and the events."""

    url: str = Field("", max_length=2000)
    description: str = Field("", max_length=200)
    events: list[str] = Field(default_factory=list, max_length=10)


def _render(hr: Hr, extra: dict[str, Any] | None = None, **shown: Any) -> Response:
    session = hr.session
    context = {
        "endpoints": webhooks.list_endpoints(session),
        "deliveries": webhooks.list_deliveries(session, limit=50),
        "greenhouse_errors": greenhouse.list_errors(session, limit=50),
        "events": webhooks.EVENTS,
        "now": utcnow(),
        "rotated": None,
        "rotate_error": None,
        "form": WebhookForm(),
        **(extra or {}),
    }
    return secret_page(hr, "hr/admin/webhooks.html", context, **shown)


@router.get("/hr/admin/webhooks", name="hr_webhooks")
def webhooks_page(hr: AdminHr) -> Response:
    """Show the webhook endpoints, the latest deliveries and Greenhouse's error reports."""
    return _render(hr)


@router.post("/hr/admin/webhooks", name="hr_webhook_create")
def create_webhook(hr: AdminHr, form: Annotated[WebhookForm, Form()]) -> Response:
    """Register an endpoint and show its signing secret once."""
    try:
        endpoint = webhooks.create_endpoint(
            hr.session,
            hr.settings,
            url=form.url,
            events=form.events,
            description=form.description,
            actor=hr.actor,
        )
    except Invalid as error:
        # What was typed stays in the form, so a mistyped URL costs one correction, not the whole form.
        return _render(hr, {"form": form}, errors=field_errors(error))
    hr.session.commit()  # the secret is shown only once the endpoint is stored
    return _render(hr, secret=endpoint.secret)


@router.post("/hr/admin/webhooks/{endpoint_id}/active", name="hr_webhook_active")
def set_webhook_active(hr: AdminHr, endpoint_id: int, form: Annotated[ActiveForm, Form()]) -> Response:
    """Enable or disable an endpoint."""
    endpoint = webhooks.get_endpoint(hr.session, endpoint_id)
    webhooks.set_active(hr.session, endpoint, form.active, actor=hr.actor)
    return hr.see_other("hr_webhooks")


@router.post("/hr/admin/deliveries/{delivery_id}/retry", name="hr_delivery_retry")
def retry_delivery(hr: AdminHr, delivery_id: int) -> Response:
    """Send a delivery again on the worker's next pass (same webhook-id)."""
    webhooks.retry(hr.session, webhooks.get_delivery(hr.session, delivery_id), actor=hr.actor)
    return hr.see_other("hr_webhooks")


class RotateForm(BaseModel):
    """The rotation's confirmation as entered: the box must be ticked (value "rotate")."""

    confirm: str = Field("", max_length=20)


@router.post("/hr/admin/webhooks/{endpoint_id}/rotate-secret", name="hr_webhook_rotate")
def rotate_webhook_secret(hr: AdminHr, endpoint_id: int, form: Annotated[RotateForm, Form()]) -> Response:
    """Give an endpoint a new signing secret (shown once); for 24 hours deliveries carry both signatures."""
    endpoint = webhooks.get_endpoint(hr.session, endpoint_id)
    if form.confirm != "rotate":
        return _render(hr, {"rotate_error": endpoint.id}, errors={"confirm": NOT_CONFIRMED})
    secret = webhooks.rotate_secret(hr.session, endpoint, actor=hr.actor)
    hr.session.commit()  # the secret is shown only once it is stored
    return _render(hr, {"rotated": endpoint}, secret=secret)
