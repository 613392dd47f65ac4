"""ATS rollout: Greenhouse order dedupe, callback credentials, the candidate's preferred name.

Schema: a Greenhouse test instance records a fingerprint of its callback url, unique per API key, so a
repeated send_test finds the first order; it keeps the ordering key sealed for the completion PATCH's
Basic auth. Candidates get an optional preferred name (e-mails greet them with it). A webhook endpoint
keeps its previous signing secret for a while after a rotation (deliveries carry both signatures).

Data: existing orders get their fingerprint; of duplicates (same key and url) only the oldest gets it.

Revision ID: a1b2c3d4e5f7
Revises: a0b1c2d3e4f5
Create Date: 2026-11-30 00:00:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1b2c3d4e5f7"
down_revision: str | Sequence[str] | None = "a0b1c2d3e4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("candidate") as batch_op:
        batch_op.add_column(sa.Column("preferred_name", sa.String(length=200), nullable=True))
    with op.batch_alter_table("greenhouse_interview") as batch_op:
        batch_op.add_column(sa.Column("callback_url_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("callback_credential", sa.String(length=1000), nullable=True))
    with op.batch_alter_table("webhook_endpoint") as batch_op:
        batch_op.add_column(sa.Column("previous_secret", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("previous_secret_until", sa.DateTime(timezone=True), nullable=True))
    _fingerprint_orders(op.get_bind())
    with op.batch_alter_table("greenhouse_interview") as batch_op:
        batch_op.create_unique_constraint("uq_greenhouse_interview_order", ["api_key_id", "callback_url_hash"])


def _fingerprint_orders(bind: sa.Connection) -> None:
    orders = sa.table(
        "greenhouse_interview",
        sa.column("id", sa.String),
        sa.column("api_key_id", sa.Integer),
        sa.column("callback_url", sa.String),
        sa.column("callback_url_hash", sa.String),
        sa.column("created_at", sa.DateTime),
    )
    seen: set[tuple[int | None, str]] = set()
    rows = bind.execute(
        sa.select(orders.c.id, orders.c.api_key_id, orders.c.callback_url).order_by(orders.c.created_at, orders.c.id)
    ).all()
    for row in rows:
        digest = hashlib.sha256(row.callback_url.encode("utf-8")).hexdigest()
        if (row.api_key_id, digest) in seen:
            continue  # a duplicate order from before the dedupe: it keeps working, without the unique key
        seen.add((row.api_key_id, digest))
        bind.execute(sa.update(orders).where(orders.c.id == row.id).values(callback_url_hash=digest))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("webhook_endpoint") as batch_op:
        batch_op.drop_column("previous_secret_until")
        batch_op.drop_column("previous_secret")
    with op.batch_alter_table("greenhouse_interview") as batch_op:
        batch_op.drop_constraint("uq_greenhouse_interview_order", type_="unique")
        batch_op.drop_column("callback_credential")
        batch_op.drop_column("callback_url_hash")
    with op.batch_alter_table("candidate") as batch_op:
        batch_op.drop_column("preferred_name")
