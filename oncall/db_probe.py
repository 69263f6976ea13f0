"""Can the database take a write right now? A cheap probe for `/readyz`, bounded by a timeout.

Each probe opens a connection of its own (not one from the pool), so it sees the database as a
new connection would: a file made read-only, a missing file, a server that refuses connections.

- SQLite: open the existing file read-write (never create it), take the write lock with
  `BEGIN IMMEDIATE` (a locked database times out), create a table and roll back. A connection
  opened on a read-only file takes the lock but fails the write, so the write is needed. Nothing
  reaches the disk. Also checks that the disk has room.
- PostgreSQL: in a transaction that is rolled back, ask for a transaction id (what any write
  needs first: it fails on a standby and when the server stops taking writes to avoid wraparound)
  and check the session is not read-only.

`probe_write(url)` returns None when a write can be made, otherwise a short reason.
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PROBE_TIMEOUT = 2.0  # seconds: a probe answers within about this, whatever the database does
MIN_FREE_BYTES = 1 << 20  # below this the SQLite disk counts as full


def probe_write(url: str, timeout: float = PROBE_TIMEOUT) -> str | None:
    """None when the database at `url` can take a write now; otherwise why not ("read-only", ...)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _probe_sqlite(parsed.database, timeout)
    return _probe_postgres(url, timeout)


def _probe_sqlite(database: str | None, timeout: float) -> str | None:
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None  # private to the process: writable while the process lives
    if _free_bytes(Path(database).parent) < MIN_FREE_BYTES:
        return "disk full"
    try:
        conn = sqlite3.connect(f"file:{database}?mode=rw", uri=True, timeout=timeout, isolation_level=None)
    except sqlite3.Error as error:
        return _sqlite_reason(error)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE oncall_write_probe (x INTEGER)")
        conn.execute("ROLLBACK")
    except sqlite3.Error as error:
        return _sqlite_reason(error)
    finally:
        conn.close()
    return None


def _free_bytes(directory: Path) -> int:
    try:
        stats = os.statvfs(directory)
    except OSError:
        return MIN_FREE_BYTES  # not ours to judge: opening the file will say what is wrong
    # root may write into the blocks reserved for it; everyone else only into the available ones
    blocks = stats.f_bfree if os.geteuid() == 0 else stats.f_bavail
    return blocks * stats.f_frsize


# SQLite primary result codes (the low byte of the extended code).
_SQLITE_REASONS = {
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "disk I/O error",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "disk full",  # SQLITE_FULL
    14: "cannot open the database file",  # SQLITE_CANTOPEN
    26: "not a database",  # SQLITE_NOTADB
}


def _sqlite_reason(error: sqlite3.Error) -> str:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _SQLITE_REASONS:
        return _SQLITE_REASONS[code & 0xFF]
    return f"{error.__class__.__name__}: {error}"


def _probe_postgres(url: str, timeout: float) -> str | None:
    import psycopg  # imported here: only PostgreSQL readiness needs it (startup time)

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    budget_ms = int(timeout * 1000)
    try:
        conn = psycopg.connect(
            conninfo,
            connect_timeout=max(2, math.ceil(timeout)),  # libpq's minimum is 2 s
            options=f"-c statement_timeout={budget_ms} -c lock_timeout={budget_ms}",
        )
    except psycopg.Error as error:
        return f"unreachable: {_first_line(error)}"
    try:
        read_only, _ = conn.execute(
            "SELECT current_setting('transaction_read_only'), txid_current()"
        ).fetchone()
        if read_only == "on":
            return "read-only"
    except psycopg.errors.ReadOnlySqlTransaction:
        return "read-only"
    except psycopg.Error as error:
        if "recovery" in str(error):
            return "read-only (a standby in recovery)"
        return f"{error.__class__.__name__}: {_first_line(error)}"
    finally:
        conn.close()  # never committed: the transaction (and its id) is rolled back
    return None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__
