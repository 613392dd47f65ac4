"""Reserved slot, left empty: the answer conduct columns came later (20261130_answer_conduct).

Revision ID: f0a1b2c3d4e5
Revises: e9c4a5b6c7d8
Create Date: 2026-11-29 00:10:00
"""

from collections.abc import Sequence

revision: str = "f0a1b2c3d4e5"
down_revision: str | Sequence[str] | None = "e9c4a5b6c7d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
