"""Create and drop throw-away PostgreSQL databases for one test session."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENV = "TOUCHSTONE_TEST_POSTGRES_URL"

Factory = Callable[[str], str]

_state: dict[str, str | bool | None] = {"skip_reason": None, "requested": False}


def skip_reason() -> str | None:
    reason = _state["skip_reason"]
    return reason if isinstance(reason, str) else None


def was_requested() -> bool:
    return bool(_state["requested"])


@dataclass
class PostgresServer:
    """A reachable PostgreSQL server; every database it creates is dropped at the end of the session."""

    admin_url: URL
    created: list[str] = field(default_factory=list)

    @classmethod
    def from_env(cls) -> PostgresServer | None:
        _state["requested"] = True
        raw = os.environ.get(ENV, DEFAULT_URL).strip()
        if raw.lower() in {"", "skip", "0", "off", "no"}:
            _state["skip_reason"] = f"{ENV} is set to skip"
            return None
        url = make_url(raw)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        try:
            engine = create_engine(url, connect_args={"connect_timeout": 3})
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            engine.dispose()
        except SQLAlchemyError as error:
            first = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            _state["skip_reason"] = f"no PostgreSQL at {url.render_as_string()} ({first})"
            return None
        return cls(admin_url=url)

    def create_database(self) -> str:
        name = f"touchstone_test_{secrets.token_hex(6)}"
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.created.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
        self.created.clear()
