"""Add the privacy columns (procedure closed, retention consent) and make the audit log append-only in the database.

Revision ID: e9c4a5b6c7d8
Revises: d8b3f4e5a6b7
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e9c4a5b6c7d8"
down_revision: str | Sequence[str] | None = "d8b3f4e5a6b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_MESSAGE = "audit log is append-only"

# The ORM refuses to update or delete an audit event; these triggers refuse it for raw SQL and other clients too.
POSTGRES_FUNCTION = f"""
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
END
$$
"""
POSTGRES_TRIGGER = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
"""
SQLITE_TRIGGERS = [
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END
    """,
]


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("candidate") as batch_op:
        batch_op.add_column(sa.Column("procedure_closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("retention_consent_until", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    """Revert this migration."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    with op.batch_alter_table("candidate") as batch_op:
        batch_op.drop_column("retention_consent_until")
        batch_op.drop_column("procedure_closed_at")
