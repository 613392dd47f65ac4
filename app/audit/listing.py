"""Read the audit log for the admins' page: filtered, newest first, keyset-paged."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, or_, select

from app.audit.models import AuditEvent
from app.inputs import MAX_ID
from app.pagination import Page, bad_cursor, clamp_limit, decode_cursor, encode_cursor


def list_events(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    after: str | None = None,
    limit: int = 50,
) -> Page[AuditEvent]:
    """Return a page of audit events matching the filters, newest first.

    actor matches a prefix ("api-key:" finds every API key, an e-mail address one user); action matches a code
    and the codes below it ("candidate" finds "candidate.invited", "candidate.retention_consent" does not find
    "candidate.retention_consent_withdrawn").
    """
    limit = clamp_limit(limit)
    query = select(AuditEvent)
    if actor:
        query = query.where(col(AuditEvent.actor).startswith(actor.strip(), autoescape=True))
    if action:
        code = action.strip().rstrip(".")
        below = col(AuditEvent.action).startswith(f"{code}.", autoescape=True)
        query = query.where(or_(AuditEvent.action == code, below))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type.strip())
    if object_id:
        query = query.where(AuditEvent.object_id == object_id.strip())
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    if after:
        (last_id,) = decode_cursor(after, 1)
        if not isinstance(last_id, int) or not 0 < last_id <= MAX_ID:
            raise bad_cursor(after)
        query = query.where(col(AuditEvent.id) < last_id)
    rows = list(session.exec(query.order_by(col(AuditEvent.id).desc()).limit(limit + 1)))
    items = rows[:limit]
    return Page(items, encode_cursor(items[-1].id) if len(rows) > limit else None)
