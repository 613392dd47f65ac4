"""The organisation's name, logo, colour and message texts; invitation reminders.

Revision ID: b0c1d2e3f4a5
Revises: a2b3c4d5e6f8
Create Date: 2026-11-30 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b0c1d2e3f4a5"
down_revision: str | Sequence[str] | None = "a2b3c4d5e6f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("colour", sa.String(length=7), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=320), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=16), nullable=True),
        sa.Column("invitation_text_nl", sa.Text(), nullable=False),
        sa.Column("invitation_text_en", sa.Text(), nullable=False),
        sa.Column("reminder_text_nl", sa.Text(), nullable=False),
        sa.Column("reminder_text_en", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    op.create_table(
        "invitation_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.String(length=64), nullable=False),
        sa.Column("sealed_link", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mail_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_invitation_reminder_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mail_id"],
            ["mail_message.id"],
            name=op.f("fk_invitation_reminder_mail_id_mail_message"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_reminder")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_invitation_reminder_assessment_id")),
    )
    with op.batch_alter_table("invitation_reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_reminder_next_attempt_at"), ["next_attempt_at"], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("invitation_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_reminder_next_attempt_at"))
    op.drop_table("invitation_reminder")
    op.drop_table("organisation")
