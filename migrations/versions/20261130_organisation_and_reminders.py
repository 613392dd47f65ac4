"""The organisation's name, logo, colour and message texts; invitation reminders.

Revision ID: b0c1d2e3f4a5
Revises: a2b3c4d5e6f8
Create Date: 2026-11-30 03:20:00
"""

from collections.abc import Sequence

revision: str = "b0c1d2e3f4a5"
down_revision: str | Sequence[str] | None = "a2b3c4d5e6f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
