"""Columns and indexes for the write path: claimed deliveries, submit fencing.

Revision ID: f1b2c3d4e5f6
Revises: f0a1b2c3d4e5
Create Date: 2026-11-29 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1b2c3d4e5f6"
down_revision: str | Sequence[str] | None = "f0a1b2c3d4e5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    # A submit closes the assessment only at the revision of the answers it scored.
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default="0", nullable=False))
    # Mail is claimed like webhook deliveries: taken until a time, retried after it.
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE mail_message SET next_attempt_at = created_at")
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.alter_column("next_attempt_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index(batch_op.f("ix_mail_message_next_attempt_at"), ["next_attempt_at"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mail_message_next_attempt_at"))
        batch_op.drop_column("next_attempt_at")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("revision")
