"""Admin pages: the mail outbox (held, queued, sent, failed) and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.audit import listing as audit_listing
from app.db.lookup import get_or_404
from app.errors import BadRequest, Invalid
from app.mail import service as mail
from app.mail.models import MailMessage, MailStatus
from app.web.hr import labels
from app.web.hr.common import AdminHr

router = APIRouter(include_in_schema=False)

Filter = Annotated[str | None, Query(max_length=100)]


@router.get("/hr/outbox", name="hr_outbox")
def outbox(hr: AdminHr, status: Filter = None, before: int | None = None) -> Response:
    """List outgoing e-mail, newest first; held mail (no SMTP configured) can be read here."""
    if status and status not in {s.value for s in MailStatus}:
        raise Invalid(f"status '{status}' is not one of {', '.join(s.value for s in MailStatus)}")
    messages = mail.list_outbox(hr.session, status=status or None, before_id=before, limit=50)
    context = {
        "messages": messages,
        "status": status or "",
        "statuses": [s.value for s in MailStatus],
        "next_before": messages[-1].id if len(messages) == 50 else None,
    }
    return hr.page("hr/outbox.html", context)


@router.get("/hr/outbox/{message_id}", name="hr_outbox_message")
def outbox_message(hr: AdminHr, message_id: int) -> Response:
    """Show one e-mail as it was (or will be) sent."""
    message = get_or_404(hr.session, MailMessage, message_id, "mail message")
    body = mail.readable_body(message, hr.settings)
    return hr.page("hr/outbox_message.html", {"message": message, "body": body, "labels": labels})


@router.post("/hr/outbox/{message_id}/retry", name="hr_outbox_retry")
def outbox_retry(hr: AdminHr, message_id: int) -> Response:
    """Put a failed e-mail back in the queue."""
    message = get_or_404(hr.session, MailMessage, message_id, "mail message")
    mail.retry(hr.session, message)
    return hr.see_other("hr_outbox_message", message_id=message_id)


def _day(value: str | None, field: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{field}: '{value}' is not a date (YYYY-MM-DD)", field=field) from None
    if not 2000 <= day.year <= 2100:
        # The log holds nothing outside these years, and 9999-12-31 plus a day does not exist.
        raise BadRequest(f"{field}: {value} is outside the years 2000 to 2100", field=field)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@router.get("/hr/audit", name="hr_audit")
def audit_log(
    hr: AdminHr,
    actor: Filter = None,
    action: Filter = None,
    object_type: Filter = None,
    object_id: Filter = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
    after: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Show the audit log, filtered by actor, action, object and date, newest first."""
    until = _day(date_to, "date_to")
    result = audit_listing.list_events(
        hr.session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        since=_day(date_from, "date_from"),
        until=until + dt.timedelta(days=1) if until else None,
        after=after,
        limit=50,
    )
    query = {k: v for k, v in hr.request.query_params.items() if k != "after" and v}
    return hr.page("hr/audit.html", {"page": result, "query": query, "first_page": after is None})
