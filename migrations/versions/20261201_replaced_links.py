"""Replaced links: the hashes of links a resend replaced, so an old link says so instead of "unknown".

Revision ID: d3e4f5a6b7c8
Revises: c2d3e4f5a6b7
Create Date: 2026-12-01 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d3e4f5a6b7c8"
down_revision: str | Sequence[str] | None = "c2d3e4f5a6b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "replaced_link",
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("assessment_id", sa.String(length=64), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_replaced_link_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_replaced_link")),
    )
    with op.batch_alter_table("replaced_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_replaced_link_assessment_id"), ["assessment_id"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("replaced_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_replaced_link_assessment_id"))
    op.drop_table("replaced_link")
