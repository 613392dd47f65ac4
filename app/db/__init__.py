"""The database layer, one concern a module: column types (types), engine setup (engine, with SQLite's
in sqlite) and the request's session (session). Import from here."""

from app.db.engine import Limits, create_db_engine, get_engine
from app.db.locks import lock_row
from app.db.session import (
    READ_METHODS,
    READ_ONLY,
    STRICT,
    ReadOnlyWrite,
    get_session,
    is_read_only,
    read_only_session,
    write_aside,
)
from app.db.sqlite import stuck_writer_reason
from app.db.sqlite import unwritable_reason as sqlite_unwritable_reason
from app.db.types import (
    NAMING_CONVENTION,
    JSONType,
    StrEnumType,
    UTCDateTime,
    UTCDateTimeType,
    as_utc,
    metadata,
    utcnow,
)

__all__ = [
    "NAMING_CONVENTION",
    "READ_METHODS",
    "READ_ONLY",
    "STRICT",
    "JSONType",
    "Limits",
    "ReadOnlyWrite",
    "StrEnumType",
    "UTCDateTime",
    "UTCDateTimeType",
    "as_utc",
    "create_db_engine",
    "get_engine",
    "get_session",
    "is_read_only",
    "lock_row",
    "metadata",
    "read_only_session",
    "sqlite_unwritable_reason",
    "stuck_writer_reason",
    "utcnow",
    "write_aside",
]
