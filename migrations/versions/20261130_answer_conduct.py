"""Record how answers were given: option order seed, time per section, pasted free text.

Revision ID: a0b1c2d3e4f5
Revises: f2c3d4e5f6a7
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

revision: str = "a0b1c2d3e4f5"
down_revision: str | Sequence[str] | None = "f2c3d4e5f6a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
