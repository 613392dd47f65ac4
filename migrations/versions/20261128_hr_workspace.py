"""Add the HR workspace tables: login throttling, and the candidate list's summary columns and indexes.

Revision ID: a5e0c1a2b3c4
Revises: 3d2e227949bb
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a5e0c1a2b3c4"
down_revision: str | Sequence[str] | None = "3d2e227949bb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CANDIDATE_INDEXES = {
    "ix_candidate_updated": ["updated_at", "id"],
    "ix_candidate_status_updated": ["status", "updated_at", "id"],
    "ix_candidate_verdict_updated": ["verdict", "updated_at", "id"],
    "ix_candidate_role_updated": ["role_id", "updated_at", "id"],
    "ix_candidate_name_key": ["name_key", "id"],
    "ix_candidate_evidence": ["evidence_overall", "id"],
    "ix_candidate_claims": ["claims_index", "id"],
    "ix_candidate_verdict_rank": ["verdict_rank", "id"],
}


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_throttle") as batch_op:
        batch_op.create_index(batch_op.f("ix_login_throttle_locked_until"), ["locked_until"], unique=False)

    with op.batch_alter_table("candidate") as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), server_default="none", nullable=False))
        batch_op.add_column(sa.Column("verdict", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("verdict_rank", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("evidence_overall", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("claims_index", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("name_key", sa.String(length=401), server_default="", nullable=False))
        for name, columns in CANDIDATE_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    # Existing candidates: the name sort key; their assessment summary is refreshed on the next activity.
    op.execute("UPDATE candidate SET name_key = lower(last_name || ' ' || first_name)")
    with op.batch_alter_table("candidate") as batch_op:
        # The default only filled existing rows; the application always sets the key.
        batch_op.alter_column("name_key", existing_type=sa.String(length=401), server_default=None)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("candidate") as batch_op:
        for name in CANDIDATE_INDEXES:
            batch_op.drop_index(name)
        for column in (
            "name_key",
            "last_activity_at",
            "claims_index",
            "evidence_overall",
            "verdict_rank",
            "verdict",
            "status",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("login_throttle") as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttle_locked_until"))
    op.drop_table("login_throttle")
