"""Add the candidate pages' tables: rate limiting of anonymous self-test starts.

Revision ID: c7a2e3d4f5a6
Revises: b6f1d2c3e4f5
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c7a2e3d4f5a6"
down_revision: str | Sequence[str] | None = "b6f1d2c3e4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "rate_limit_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_hit")),
    )
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.create_index("ix_rate_limit_hit_bucket_key", ["bucket", "key_hash", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_rate_limit_hit_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("rate_limit_hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_hit_created_at"))
        batch_op.drop_index("ix_rate_limit_hit_bucket_key")
    op.drop_table("rate_limit_hit")
