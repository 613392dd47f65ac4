"""Add the privacy tables and columns: consent and retention.

Revision ID: e9c4a5b6c7d8
Revises: d8b3f4e5a6b7
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

revision: str = "e9c4a5b6c7d8"
down_revision: str | Sequence[str] | None = "d8b3f4e5a6b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
