"""HR workspace: what the lists, exports and report need stored.

Revision ID: b2c3d4e5f6a7
Revises: b1c2d3e4f5a6
Create Date: 2026-11-30 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "b2c3d4e5f6a7"
down_revision: str | Sequence[str] | None = "b1c2d3e4f5a6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration: the source of the candidate list's verdict and scores (self-test, HR, combined)."""
    with op.batch_alter_table("candidate") as batch:
        batch.add_column(sa.Column("result_source", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("candidate") as batch:
        batch.drop_column("result_source")
