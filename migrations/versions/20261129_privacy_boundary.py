"""Privacy and trust boundary: retention for everyone, hashed links only, password changes.

Schema: invitation links that must be handed out again (a queued or held e-mail, an idempotent API reply)
are kept sealed in their own column, never in the body; users record when their password changed.

Data: plain links already stored are removed (queued e-mail that would have carried one is marked
failed, to be resent), search texts are removed from the audit log's export entries, and every candidate
without a retention date gets one.

Revision ID: f2c3d4e5f6a7
Revises: f1b2c3d4e5f6
Create Date: 2026-11-29 00:30:00
"""

import datetime as dt
import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2c3d4e5f6a7"
down_revision: str | Sequence[str] | None = "f1b2c3d4e5f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An invitation link: <base URL>/t/<token of 43 URL-safe characters>.
PLAIN_LINK = re.compile(r"\S*/t/[A-Za-z0-9_-]{20,}")
LINK_GONE = "[the link is no longer available: resend the invitation]"
# The defaults of TOUCHSTONE_RETENTION_DAYS and _RETENTION_INACTIVE_DAYS; the purge recomputes with the
# instance's own settings at the next change of each candidate.
RETENTION_DAYS = 28
INACTIVE_DAYS = 90


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("mail_message") as batch_op:
        batch_op.add_column(sa.Column("sealed_link", sa.Text(), nullable=True))
    with op.batch_alter_table("idempotency_record") as batch_op:
        batch_op.add_column(sa.Column("sealed_link", sa.Text(), nullable=True))
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
    bind = op.get_bind()
    _remove_plain_links(bind)
    _remove_search_texts(bind)
    _start_retention_clocks(bind)


def _remove_plain_links(bind: sa.Connection) -> None:
    mail = sa.table(
        "mail_message",
        sa.column("id", sa.Integer),
        sa.column("body_text", sa.Text),
        sa.column("status", sa.String),
        sa.column("error", sa.String),
    )
    for row in bind.execute(sa.select(mail.c.id, mail.c.body_text, mail.c.status)).all():
        if not PLAIN_LINK.search(row.body_text or ""):
            continue
        values: dict[str, object] = {"body_text": PLAIN_LINK.sub(LINK_GONE, row.body_text)}
        if row.status == "queued":
            values.update(status="failed", error="the link was removed by an upgrade; resend the invitation")
        bind.execute(sa.update(mail).where(mail.c.id == row.id).values(**values))
    replies = sa.table("idempotency_record", sa.column("id", sa.Integer), sa.column("response_body", sa.JSON))
    for row in bind.execute(sa.select(replies.c.id, replies.c.response_body)).all():
        body = json.loads(row.response_body) if isinstance(row.response_body, str) else row.response_body
        if isinstance(body, dict) and body.get("invitation_url"):
            body["invitation_url"] = None
            bind.execute(sa.update(replies).where(replies.c.id == row.id).values(response_body=body))


def _remove_search_texts(bind: sa.Connection) -> None:
    audit = sa.table(
        "audit_event", sa.column("id", sa.Integer), sa.column("action", sa.String), sa.column("detail", sa.JSON)
    )
    rows = bind.execute(sa.select(audit.c.id, audit.c.detail).where(audit.c.action == "candidates.exported")).all()
    changed = []
    for row in rows:
        detail = json.loads(row.detail) if isinstance(row.detail, str) else row.detail
        filters = dict((detail or {}).get("filters") or {})
        if "q" in filters:
            searched = bool(filters.pop("q"))
            changed.append((row.id, {"filters": filters, "searched": searched}))
    if not changed:
        return
    # The audit log refuses changes (triggers of 20261128_privacy); this one-off correction lifts them briefly.
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    for row_id, detail in changed:
        bind.execute(sa.update(audit).where(audit.c.id == row_id).values(detail=detail))
    if postgres:
        op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    else:
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
        )


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _start_retention_clocks(bind: sa.Connection) -> None:
    candidate = sa.table(
        "candidate",
        sa.column("id", sa.Integer),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("last_activity_at", sa.DateTime(timezone=True)),
        sa.column("procedure_closed_at", sa.DateTime(timezone=True)),
        sa.column("retention_until", sa.DateTime(timezone=True)),
        sa.column("erased_at", sa.DateTime(timezone=True)),
    )
    rows = bind.execute(
        sa.select(candidate).where(candidate.c.retention_until.is_(None), candidate.c.erased_at.is_(None))
    ).all()
    for row in rows:
        closed = _aware(row.procedure_closed_at)
        if closed is not None:
            until = closed + dt.timedelta(days=RETENTION_DAYS)
        else:
            moments = [_aware(m) for m in (row.created_at, row.updated_at, row.last_activity_at)]
            until = max(m for m in moments if m is not None) + dt.timedelta(days=INACTIVE_DAYS)
        bind.execute(sa.update(candidate).where(candidate.c.id == row.id).values(retention_until=until))


def downgrade() -> None:
    """Revert this migration (removed links and search texts are not restored)."""
    with op.batch_alter_table("user_account") as batch_op:
        batch_op.drop_column("password_changed_at")
    with op.batch_alter_table("idempotency_record") as batch_op:
        batch_op.drop_column("sealed_link")
    with op.batch_alter_table("mail_message") as batch_op:
        batch_op.drop_column("sealed_link")
