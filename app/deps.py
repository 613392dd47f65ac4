"""Dependencies declared once, used in route signatures as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.config import Settings
from app.db import get_session
from app.urls import link_settings


async def get_app_settings(request: Request) -> Settings:
    """Return the settings the application was created with (async: FastAPI runs a plain def in a thread)."""
    settings: Settings = request.app.state.settings
    return settings


async def get_link_settings(request: Request) -> Settings:
    """Return the settings whose base_url the links made in this request point at (app.urls.link_settings)."""
    return link_settings(request, request.app.state.settings)


# Function scope: the session commits before the response goes out (see app.db.get_session).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
# For routes that hand out links: the configured base URL, or in development the request's own address.
LinkSettingsDep = Annotated[Settings, Depends(get_link_settings)]
