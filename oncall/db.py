"""The one session factory and the declarative base every capability's models share."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from oncall.db_probe import probe_write
from oncall.settings import driver_url

log = logging.getLogger("oncall.db")
CONNECT_TIMEOUT = 5  # seconds before a PostgreSQL connection attempt counts as failed

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database (SQLite forgets the zone; this puts it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and foreign keys.

    A pooled connection that can no longer write is thrown away with every connection pooled
    before it (see `_drop_connections_that_cannot_write`), so the service recovers by itself.
    """
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    url = driver_url(url)  # postgres:// and postgresql:// mean psycopg 3
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True  # a connection the server closed (restart) is replaced
        kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}  # never hang on a dead host
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        if database := engine.url.database:
            _close_read_only_connections_after_use(engine, database)
    event.listen(engine, "handle_error", _drop_connections_that_cannot_write)
    return engine


def _close_read_only_connections_after_use(engine: Engine, path: str) -> None:
    """A SQLite connection opened while the file was read-only is closed when returned, never pooled.

    SQLite decides at open whether a connection may write, and while one such connection is open
    every connection the process opens is read-only too (SQLite shares a file's state within a
    process): kept in the pool, it would keep the service refusing alerts after the file is
    writable again.
    """

    @event.listens_for(engine, "connect")
    def _note_read_only(dbapi_conn, record) -> None:
        # os.access, not a test open: closing any descriptor of the file drops SQLite's locks.
        writable = os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)
        record.info["read_only"] = os.path.exists(path) and not writable

    @event.listens_for(engine, "checkin")
    def _close_if_read_only(dbapi_conn, record) -> None:
        if dbapi_conn is not None and record.info.get("read_only"):
            record.invalidate()  # closed now; the next checkout opens a new connection


# SQLite primary result codes after which a connection stays useless: a connection opened while
# the file was read-only stays read-only after the file is writable again (SQLite decides at
# open), and one that hit an I/O error or lost its file must be reopened.
_SQLITE_REOPEN = {8, 10, 14, 26}  # READONLY, IOERR, CANTOPEN, NOTADB
# PostgreSQL: read-only transaction (a primary that became a standby after a failover), the
# server shutting down or starting up, and every connection exception (class 08).
_POSTGRES_REOPEN = ("25006", "57P01", "57P02", "57P03", "08")


def _drop_connections_that_cannot_write(context: ExceptionContext) -> None:
    """Treat a connection that cannot write as disconnected: the pool then replaces it and every
    connection pooled before it, instead of handing it out again until a restart."""
    error = context.original_exception
    code = getattr(error, "sqlite_errorcode", None)
    state = getattr(error, "sqlstate", None) or ""
    if (code is not None and code & 0xFF in _SQLITE_REOPEN) or state.startswith(_POSTGRES_REOPEN):
        if not context.is_disconnect:
            log.warning("database connection cannot write (%s); reconnecting", error.__class__.__name__)
        context.is_disconnect = True
        # SQLAlchemy leaves the cursor of a "disconnected" connection open. SQLite cannot close
        # a connection while a statement is alive, so the read-only handle would live on until
        # garbage collection and keep the process read-only; closing the cursor frees it.
        # (`context.cursor` is never set in SQLAlchemy 2.1: the execution context has it.)
        cursor = getattr(context, "cursor", None) or getattr(context.execution_context, "cursor", None)
        if cursor is not None:
            with contextlib.suppress(Exception):
                cursor.close()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Database:
    """Engine plus session factory; one per app (or per test)."""

    def __init__(self, url: str) -> None:
        self.url = driver_url(url)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writable = True  # what the last `check_writable` found
        self._probe_lock = threading.Lock()

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def check_writable(self) -> str | None:
        """None when a write can be made now, otherwise why not; bounded by a short timeout.

        The pool's connections were opened under the other state, so they are closed when the
        check fails and when it succeeds again: a connection opened before a `chmod` would keep
        writing, one opened on a read-only SQLite file would keep failing, and the next request
        should see what this check saw.
        """
        problem = probe_write(self.url)
        if problem is not None:
            self.engine.dispose()
            if problem == "read-only" and not self.is_postgres:
                # An idle read-only connection of this process makes new ones read-only too
                # (see make_engine): with it gone, ask again about the file itself.
                problem = probe_write(self.url)
        with self._probe_lock:
            was_writable, self._writable = self._writable, problem is None
        if was_writable and problem is not None:
            log.warning("database cannot be written: %s", problem)
        elif problem is None and not was_writable:
            log.warning("database writable again")
            self.engine.dispose()
        return problem

    def dispose(self) -> None:
        self.engine.dispose()
