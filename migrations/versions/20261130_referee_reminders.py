"""The candidate's network fingerprints (compared with referees'); referee reminders need no table of their own.

Referees' links are reminded through invitation_reminder, like candidates' invitations (a referee's link is an
assessment too).

Revision ID: c1d2e3f4a5b6
Revises: c0d1e2f3a4b5
Create Date: 2026-11-30 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c1d2e3f4a5b6"
down_revision: str | Sequence[str] | None = "c0d1e2f3a4b5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "candidate_network",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("network_hash", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_candidate_network_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_network")),
        sa.UniqueConstraint(
            "candidate_id", "network_hash", name=op.f("uq_candidate_network_candidate_id_network_hash")
        ),
    )
    with op.batch_alter_table("candidate_network", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_network_candidate_id"), ["candidate_id"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("candidate_network", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_network_candidate_id"))
    op.drop_table("candidate_network")
