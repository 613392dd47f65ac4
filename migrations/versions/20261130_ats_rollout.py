"""ATS rollout: Greenhouse order dedupe, callback credentials, Ashby.

Revision ID: a1b2c3d4e5f7
Revises: a0b1c2d3e4f5
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

revision: str = "a1b2c3d4e5f7"
down_revision: str | Sequence[str] | None = "a0b1c2d3e4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
