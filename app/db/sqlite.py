"""SQLite as an embedded database: reads never lock, and a write transaction is open only while it writes.

SQLite admits one writer at a time. A transaction here begins at its first write statement (BEGIN
IMMEDIATE), not at its first read: reading, validating, scoring and rendering happen outside it, so no
writer waits for another's CPU work. Writers of one process queue in arrival order on a gate per database
file, which hands over the moment COMMIT or ROLLBACK has run (SQLite's own busy handler polls with sleeps
of up to 100 ms); writers in other processes meet at SQLite's lock (busy_timeout). Every wait is bounded:
past it the statement fails with "database is locked", which the application answers with 503.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

# Statements that only read; anything else (INSERT, UPDATE, DELETE, DDL, SAVEPOINT) opens the write transaction.
_READS = ("SELECT", "PRAGMA", "EXPLAIN", "WITH")
# Connections the pool keeps open per database (more are opened, and closed again, under load).
POOL_SIZE = 20
# Each connection's page cache, in KiB (SQLite's default is 2 MiB). The pool keeps many connections, and
# their caches together were most of a worker's memory; pages beyond it come from the OS's file cache.
CACHE_KIB = 256
# SQLite errors after which a connection cannot write until it is reopened (the file was read-only or gone).
LOST = ("readonly database", "unable to open database file", "disk i/o error")


class WriteGate:
    """A first-come, first-served lock for the writers of one database file in this process.

    It remembers since when it is held, so that /readyz can tell a stuck writer from a busy one.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False
        self.since: float | None = None

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                self.since = time.monotonic()
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release(), which set since
        with self._mutex:
            if turn in self._waiting:
                self._waiting.remove(turn)
                return False
        return True  # handed over between the timeout and the check

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self.since = time.monotonic()
                self._waiting.popleft().release()
            else:
                self._held = False
                self.since = None

    def held_for(self) -> float:
        """Return for how many seconds the current writer has held the gate (0 when free)."""
        since = self.since
        return 0.0 if since is None else time.monotonic() - since


class GatedConnection(sqlite3.Connection):
    """A SQLite connection that holds its database's write gate from BEGIN IMMEDIATE to COMMIT or ROLLBACK."""

    gate: WriteGate  # one per database file, set on the subclass made by _connection_class
    busy_timeout: float
    holding: bool = False

    def begin_write(self) -> None:
        if not self.gate.acquire(self.busy_timeout):
            raise sqlite3.OperationalError(
                f"database is locked: another writer of this process held it for more than {self.busy_timeout:g} s"
            )
        self.holding = True
        try:
            self.execute("BEGIN IMMEDIATE")  # waits up to busy_timeout for writers in other processes
        except BaseException:
            self._open_gate()
            raise

    def _open_gate(self) -> None:
        if self.holding:
            self.holding = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._open_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._open_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._open_gate()


_classes: dict[str, type[GatedConnection]] = {}
_classes_lock = threading.Lock()


def _connection_class(database: str, busy_timeout: float) -> type[GatedConnection]:
    """Return the connection class for a database file: every engine of the process on it shares one gate."""
    key = os.path.realpath(database)
    with _classes_lock:
        found = _classes.get(key)
        if found is None:
            found = type("GatedConnection", (GatedConnection,), {"gate": WriteGate(), "busy_timeout": busy_timeout})
            _classes[key] = found
    return found


def gate_of(database: str) -> WriteGate:
    """Return the write gate of a database file."""
    return _connection_class(database, 0).gate


def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # The sqlite3 module must not begin transactions on its own: _begin_at_first_write does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite
    cursor.execute(f"PRAGMA busy_timeout={int(dbapi_connection.busy_timeout * 1000)}")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer, nor it for them
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; a crash loses no committed page
    # Deleted and overwritten content is zeroed in the file, so erased personal data does not linger there.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _begin_at_first_write(
    conn: Connection, _cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    dbapi = conn.connection.dbapi_connection
    if not isinstance(dbapi, GatedConnection) or dbapi.in_transaction:
        return
    if statement.lstrip()[:7].upper().startswith(_READS):
        return  # a read outside a write transaction: its own snapshot, no lock
    try:
        dbapi.begin_write()
    except sqlite3.OperationalError as error:
        raise OperationalError(statement, None, error) from error


def _lost(context: ExceptionContext) -> None:
    # Treated as a disconnect, the pool drops its connections and the next request opens fresh ones,
    # so writing resumes by itself once the file is writable again.
    if any(text in str(context.original_exception).lower() for text in LOST):
        context.is_disconnect = True


def _unwritable(path: Path) -> Path | None:
    # The folder must be writable too: SQLite creates its -wal and -shm files next to the database.
    for target in (path, path.parent):
        if target.exists() and not os.access(target, os.W_OK):
            return target
    return None


def _reopen_when_writable(engine: Engine, path: Path) -> None:
    # SQLite silently opens a read-only file read-only; such a connection must not outlive the outage.
    def remember(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["writable"] = _unwritable(path) is None

    def check(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        if not record.info.get("writable", True) and _unwritable(path) is None:
            raise DisconnectionError(f"{path} is writable again; reconnecting")

    event.listen(engine, "connect", remember)
    event.listen(engine, "checkout", check)


def configure(engine: Engine) -> None:
    """Install the connection setup on an engine made with connect_args from connect_args()."""
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "before_cursor_execute", _begin_at_first_write)
    event.listen(engine, "handle_error", _lost)
    if engine.url.database and engine.url.database != ":memory:":
        _reopen_when_writable(engine, Path(engine.url.database))


def connect_args(database: str, busy_timeout: float) -> dict[str, Any]:
    """Return the sqlite3.connect() arguments for a database file."""
    return {"check_same_thread": False, "factory": _connection_class(database, busy_timeout)}


def unwritable_reason(engine: Engine) -> str | None:
    """Return why a file SQLite database cannot be written (file or folder read-only), or None.

    SQLite opens a read-only file without complaint and answers reads, so a probe that only reads
    would call an instance ready that fails every write.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    target = _unwritable(Path(url.database))
    return None if target is None else f"the SQLite database {target} is read-only"


def stuck_writer_reason(engine: Engine, within: float) -> str | None:
    """Return why no write could begin within ``within`` seconds (a writer holds the lock), or None.

    The probe queues like any writer of this process, then asks SQLite for the lock, which also meets
    writers of other processes; it writes nothing.
    """
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    gate = gate_of(database)
    if not gate.acquire(within):
        return f"a writer has held the database for {gate.held_for():.0f} s"
    try:
        probe = sqlite3.connect(database, timeout=within, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return f"another process has held the database's write lock for more than {within:g} s"
        finally:
            probe.close()
    finally:
        gate.release()
    return None
