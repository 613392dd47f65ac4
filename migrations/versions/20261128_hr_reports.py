"""Add the HR report tables: decisions with overrides, mentors and mentor assignments.

Revision ID: d8b3f4e5a6b7
Revises: c7a2e3d4f5a6
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "d8b3f4e5a6b7"
down_revision: str | Sequence[str] | None = "c7a2e3d4f5a6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("recommended_verdict", sa.String(length=32), nullable=True),
        sa.Column("is_override", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("self_test_id", sa.String(length=64), nullable=True),
        sa.Column("hr_assessment_id", sa.String(length=64), nullable=True),
        sa.Column("role_assessment_id", sa.String(length=64), nullable=True),
        sa.Column("snapshot", JSON, nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"], name=op.f("fk_decision_candidate_id_candidate"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["user_account.id"], name=op.f("fk_decision_decided_by_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["hr_assessment_id"],
            ["assessment.id"],
            name=op.f("fk_decision_hr_assessment_id_assessment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["role_assessment_id"],
            ["assessment.id"],
            name=op.f("fk_decision_role_assessment_id_assessment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["self_test_id"], ["assessment.id"], name=op.f("fk_decision_self_test_id_assessment"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_created_at"), ["created_at"], unique=False)

    op.create_table(
        "mentor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("discipline", sa.String(length=16), nullable=False),
        sa.Column("years_experience", sa.Integer(), nullable=False),
        sa.Column("languages", JSON, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor")),
    )

    op.create_table(
        "mentor_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("plan", JSON, nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["user_account.id"],
            name=op.f("fk_mentor_assignment_assigned_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_mentor_assignment_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ended_by"],
            ["user_account.id"],
            name=op.f("fk_mentor_assignment_ended_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentor.id"], name=op.f("fk_mentor_assignment_mentor_id_mentor"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_assignment")),
    )
    with op.batch_alter_table("mentor_assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_assignment_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_assignment_ended_at"), ["ended_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_assignment_mentor_id"), ["mentor_id"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("mentor_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_assignment_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_assignment_ended_at"))
        batch_op.drop_index(batch_op.f("ix_mentor_assignment_candidate_id"))
    op.drop_table("mentor_assignment")
    op.drop_table("mentor")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_created_at"))
        batch_op.drop_index(batch_op.f("ix_decision_candidate_id"))
    op.drop_table("decision")
