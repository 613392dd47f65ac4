"""Add the HR workspace tables: login throttling and other account state.

Revision ID: a5e0c1a2b3c4
Revises: 3d2e227949bb
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

revision: str = "a5e0c1a2b3c4"
down_revision: str | Sequence[str] | None = "3d2e227949bb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
