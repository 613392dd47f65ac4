"""The application factory: settings, database, middleware, routers, static files and startup checks."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import health, i18n, inputs, problems, startup
from app.accounts.deps import LoginRequired, login_redirect
from app.api import router as api
from app.api.v1 import webhook_events
from app.api.v1.common import install_problem_schema, route_name
from app.apikeys.service import RequestCounter
from app.config import ROOT, ConfigError, Environment, Settings, get_settings
from app.db import create_db_engine
from app.db.engine import connections
from app.logs import configure_logging
from app.middleware import (
    RequestBodyMiddleware,
    RequestContextMiddleware,
    RequestSlotsMiddleware,
    SecurityHeadersMiddleware,
    TrustedHosts,
)
from app.web import candidate, hr, pages, referee, setup
from app.web.hr.nostore import NoStoreMiddleware
from app.web.templating import create_templates, render

STATIC_DIR = ROOT / "app" / "static"
# How long a request may wait for its turn inside the application before it is answered 503.
REQUEST_QUEUE_SECONDS = 30.0
# Probed by address (load balancers, the Docker HEALTHCHECK): answered whatever the Host header.
HEALTH_PATHS = ("/healthz", "/readyz")


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    run_startup: bool = True,
    announce_setup: bool = True,
) -> FastAPI:
    """Build the application; with run_startup it checks the database and syncs the question bank first."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine or create_db_engine(settings.database_url, settings.db_limits)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if run_startup:
            try:
                await run_in_threadpool(lambda: startup.prepare(engine, settings, announce=announce_setup))
            except startup.StartupError as error:
                app.state.startup_error = str(error)
                raise
        yield
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="Touchstone",
        # Every request's text and integer input is checked once at the boundary (app.inputs).
        dependencies=[Depends(inputs.guard)],
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        generate_unique_id_function=route_name,
        openapi_tags=api.TAGS,
    )
    translator = i18n.Translator(i18n.load_translations())
    app.state.settings = settings
    app.state.engine = engine
    app.state.translator = translator
    app.state.templates = create_templates(translator, auto_reload=settings.environment is Environment.DEVELOPMENT)
    # API requests per key, synced to the database in batches (one counter per process).
    app.state.request_counter = RequestCounter()

    problems.install(app, page=render)
    app.add_exception_handler(LoginRequired, login_redirect)
    # Added innermost first: the request id wraps everything, so every log line and response carries it.
    slots = request_slots(settings, engine)
    app.add_middleware(RequestSlotsMiddleware, slots=slots, wait=REQUEST_QUEUE_SECONDS)
    app.add_middleware(
        RequestBodyMiddleware, max_body_bytes=settings.max_body_bytes, body_timeout=settings.body_timeout_seconds
    )
    app.add_middleware(NoStoreMiddleware)
    app.add_middleware(i18n.LocaleMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.base_url.startswith("https://"))
    if settings.environment is Environment.PRODUCTION:
        app.add_middleware(TrustedHosts, allowed_hosts=settings.trusted_hosts, exempt_paths=HEALTH_PATHS)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(CleanStartupFailure)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    include_routers(app)
    return app


def request_slots(settings: Settings, engine: Engine) -> int:
    """Return how many requests the process works on at once: the setting, or 2 on SQLite and 4 on PostgreSQL,
    and never more than the pool has connections.

    Python runs one thread at a time, so more at once only adds switching between them: with 10 at once a
    section page cost a third more CPU than with 4, and on SQLite, where every query is work of this process,
    2 cost a sixth less than 4. A PostgreSQL query waits on the network, which another request can use.
    """
    wanted = settings.concurrent_requests
    if wanted is None:
        wanted = 2 if engine.dialect.name == "sqlite" else 4
    return max(1, min(connections(engine), wanted))


def include_routers(app: FastAPI) -> None:
    """Add every route to the app, each module's router directly, the busiest first.

    Routes are matched in order. FastAPI keeps an included router as a node of a tree that it walks for
    every request, once to match and again at each level to handle; a router that only joined others cost
    the API's routes up to 80 µs of matching each. So the packages add their modules' routers to the app
    themselves, one level deep.
    """
    # The candidate pages first: they take most of the traffic.
    candidate.include(app)
    referee.include(app)
    app.include_router(health.router)
    api.include(app)
    # The OpenAPI `webhooks` section: every event Touchstone POSTs to an endpoint, with its payload.
    app.webhooks.include_router(webhook_events.router)
    install_problem_schema(app)
    app.include_router(pages.router)
    app.include_router(setup.router)
    hr.include(app)


class CleanStartupFailure:
    """Report a failed startup as its one-line reason instead of the traceback Starlette sends to the server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def clean_send(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed":
                reason = getattr(scope["app"].state, "startup_error", None)
                if reason:
                    message = {**message, "message": reason}
            await send(message)

        await self.app(scope, receive, clean_send)


def create_configured_app() -> FastAPI:
    """Build the application from the environment, with JSON logs (the uvicorn factory entry point)."""
    try:
        settings = get_settings()
    except ConfigError as error:
        # uvicorn would print a traceback for an exception here; the one line is all the operator needs.
        print(f"error: {error}", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    configure_logging(settings.log_level)
    return create_app(settings, announce_setup=os.environ.get(startup.PREFLIGHT_DONE_ENV) != "1")
