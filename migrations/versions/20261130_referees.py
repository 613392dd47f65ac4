"""Referees: named referees, their links and their questionnaire answers.

A referee's answers live in an assessment of the reference-check questionnaire (``referee.assessment_id``);
``reference_consent`` records the candidate's consent that referees are contacted.

Revision ID: a2b3c4d5e6f8
Revises: a1b2c3d4e5f7
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a2b3c4d5e6f8"
down_revision: str | Sequence[str] | None = "a1b2c3d4e5f7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "reference_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_reference_consent_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_consent")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_reference_consent_candidate_id")),
    )
    op.create_table(
        "referee",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("network_hash", sa.String(length=64), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_referee_assessment_id_assessment"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_referee_candidate_id_candidate"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referee")),
    )
    with op.batch_alter_table("referee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referee_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referee_candidate_id"), ["candidate_id"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("referee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referee_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_referee_assessment_id"))
    op.drop_table("referee")
    op.drop_table("reference_consent")
