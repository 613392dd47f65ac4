"""Create the engine: SQLite tuned as an embedded database, PostgreSQL with a pool slow clients cannot exhaust.

No transaction waits on anything outside the database (request bodies are read before a session begins,
the worker talks to the network with no transaction open), so a pooled connection is only ever busy with
SQL. The limits below turn a database that is really overloaded into quick 503 answers instead of a queue
that grows without bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from app.db import sqlite


@dataclass(frozen=True)
class Limits:
    """How long anything may wait for the database; from TOUCHSTONE_DB_* (see app.config)."""

    busy_timeout: float = 5.0
    """Seconds a writer waits for the write lock (SQLite) or a row lock (PostgreSQL lock_timeout)."""
    pool_size: int = 10
    """PostgreSQL connections kept per process; as many again may be opened under load."""
    pool_timeout: float = 5.0
    """Seconds a request waits for a pooled PostgreSQL connection."""
    idle_in_transaction: float = 10.0
    """PostgreSQL ends a session whose transaction sits idle this long (idle_in_transaction_session_timeout)."""
    statement_timeout: float = 30.0
    """PostgreSQL cancels a statement that runs longer."""


def create_db_engine(url: str, limits: Limits | None = None, **kwargs: Any) -> Engine:
    """Create an engine for a sqlite:// or postgresql+psycopg:// URL with the project's connection setup."""
    limits = limits or Limits()
    parsed = make_url(url)
    # Errors and logs never show SQL parameters: they hold names, e-mail addresses and free text.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        connect_args: dict[str, Any] = {"check_same_thread": False}
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            connect_args = sqlite.connect_args(database, limits.busy_timeout)
            # A connection per request the server runs at once: opening one costs its PRAGMAs and a cold cache.
            kwargs.setdefault("pool_size", sqlite.POOL_SIZE)
            kwargs.setdefault("max_overflow", sqlite.POOL_SIZE // 2)
        connect_args.update(kwargs.pop("connect_args", {}))
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        sqlite.configure(engine)
        return engine
    options = " ".join(
        f"-c {name}={int(seconds * 1000)}"
        for name, seconds in (
            ("idle_in_transaction_session_timeout", limits.idle_in_transaction),
            ("lock_timeout", limits.busy_timeout),
            ("statement_timeout", limits.statement_timeout),
        )
    )
    connect_args = {"connect_timeout": max(1, round(limits.pool_timeout)), "options": options}
    connect_args.update(kwargs.pop("connect_args", {}))
    kwargs.setdefault("pool_size", limits.pool_size)
    kwargs.setdefault("max_overflow", limits.pool_size)
    kwargs.setdefault("pool_timeout", limits.pool_timeout)
    # A connection the server ended (idle_in_transaction_session_timeout, a restart) is replaced, not used.
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, connect_args=connect_args, **kwargs)


def connections(engine: Engine) -> int:
    """Return how many connections the engine's pool opens at most (its size and overflow)."""
    pool = engine.pool
    size = pool.size() if isinstance(pool, QueuePool) else 1
    overflow = getattr(pool, "_max_overflow", 0) if isinstance(pool, QueuePool) else 0
    return size + max(0, overflow)


def get_engine(request: Request) -> Engine:
    """Return the engine the application was created with."""
    engine: Engine = request.app.state.engine
    return engine
