"""Record how answers were given: option order seed, time per section, pasted free text.

Revision ID: a0b1c2d3e4f5
Revises: f2c3d4e5f6a7
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a0b1c2d3e4f5"
down_revision: str | Sequence[str] | None = "f2c3d4e5f6a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    # Existing assessments keep no seed: they were shown in file order and are scored that way.
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("option_seed", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("section_times", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True)
        )
        batch_op.add_column(
            sa.Column("pasted_items", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True)
        )


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("pasted_items")
        batch_op.drop_column("section_times")
        batch_op.drop_column("option_seed")
