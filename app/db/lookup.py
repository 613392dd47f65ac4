"""Find one row by its primary key or raise NotFound naming it: the one get-or-404 every service uses."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session

from app.errors import NotFound

Row = TypeVar("Row")


def get_or_404(session: Session, model: type[Row], key: Any, label: str) -> Row:
    """Return the ``model`` row with primary key ``key``, or raise NotFound ("candidate 7 does not exist")."""
    found = session.get(model, key)
    if found is None:
        shown = f"'{key}'" if isinstance(key, str) else str(key)
        raise NotFound(f"{label} {shown} does not exist")
    return found
