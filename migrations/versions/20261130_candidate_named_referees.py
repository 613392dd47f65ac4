"""Reserved slot: candidates naming their own referees.

Revision ID: c0d1e2f3a4b5
Revises: b2c3d4e5f6a7
Create Date: 2026-11-30 05:00:00
"""

from collections.abc import Sequence

revision: str = "c0d1e2f3a4b5"
down_revision: str | Sequence[str] | None = "b2c3d4e5f6a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
