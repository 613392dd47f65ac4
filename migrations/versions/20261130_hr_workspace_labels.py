"""Reserved slot: HR workspace (issue 15) and layering (issue 17) changes.

Revision ID: c2d3e4f5a6b7
Revises: c1d2e3f4a5b6
Create Date: 2026-11-30 05:00:00
"""

from collections.abc import Sequence

revision: str = "c2d3e4f5a6b7"
down_revision: str | Sequence[str] | None = "c1d2e3f4a5b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
