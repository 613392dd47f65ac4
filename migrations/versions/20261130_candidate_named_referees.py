"""Candidates naming their own referees: the invitation's permission, who named a referee, the form guard.

Revision ID: c0d1e2f3a4b5
Revises: b2c3d4e5f6a7
Create Date: 2026-11-30 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0d1e2f3a4b5"
down_revision: str | Sequence[str] | None = "b2c3d4e5f6a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration: the invitation's "the candidate may name referees" and who named each referee."""
    with op.batch_alter_table("assessment") as batch_op:
        batch_op.add_column(
            sa.Column("candidate_names_referees", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("referees_named", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("referee") as batch_op:
        batch_op.add_column(sa.Column("named_by", sa.String(length=16), server_default="hr", nullable=False))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("referee") as batch_op:
        batch_op.drop_column("named_by")
    with op.batch_alter_table("assessment") as batch_op:
        batch_op.drop_column("referees_named")
        batch_op.drop_column("candidate_names_referees")
