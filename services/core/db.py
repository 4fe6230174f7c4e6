"""Database engine and sessions, for SQLite (embedded default) and PostgreSQL alike.

Services never commit inside domain code: a `UnitOfWork` opens one transaction per command, and
the outbox rows and idempotency records written in it commit with the state change.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (ColumnElement, DateTime, Engine, TypeDecorator, any_, bindparam, create_engine, event, func,
                        literal_column, select, text)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.dml import Insert

from services.core.memory import when_idle


class Base(DeclarativeBase):
    """One declarative base: each service's metadata holds the core tables plus its own."""


class UniqueKeyTaken(Exception):
    """A write hit a unique key that a concurrent transaction committed first."""


def serialize_on(session: Session, key: str) -> None:
    """Make the transactions that decide something about `key` (a person, say) run one after the
    other from here to their commit, so that none decides on a state another is about to change.
    SQLite's writers already do (each begins IMMEDIATE); PostgreSQL takes a transaction-level
    advisory lock on the key's 64-bit hash, released at commit or rollback."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": digest})


def among(session: Session, column, values: Iterable[str]) -> ColumnElement[bool]:
    """`column IN values`, the values bound as one parameter (PostgreSQL: an array; SQLite: a JSON
    array read by json_each). SQLAlchemy renders an expanding IN afresh on each execution, one
    parameter per value: for a consumer run's thousand ids that cost more than the query itself.
    One value (a consumer caught up takes events one at a time; a request names one person) is plain
    equality, the statement the planners and SQLAlchemy's statement cache handle best."""
    values = list(values)
    if len(values) == 1:
        return column == values[0]
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(bindparam(None, json.dumps(values)))))


def insert_rows(session: Session, statement: Insert, rows: list[dict]) -> None:
    """Runs `statement` (an INSERT, its ON CONFLICT clause included) for every row, each row a dict of the
    same columns. On PostgreSQL as one statement over the rows bound as one array a column
    (`INSERT … SELECT unnest(:a), unnest(:b) …`): an executemany sends one statement a row, each planned,
    executed and answered apart, and a replay waited on them a third of its time (docs/performance.md,
    "Indicators: the replay"). The rows go in the order given (so writers that sort them lock in one
    order). SQLite runs in this process, with no round trip to save: executemany."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.connection().execute(statement, rows)
        return
    names = list(rows[0])
    arrays = select(*(func.unnest(bindparam(f"rows_{name}", [row[name] for row in rows],
                                            type_=ARRAY(statement.table.c[name].type)))
                      for name in names))
    session.connection().execute(statement.from_select(names, arrays))


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on both backends (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


READ_ONLY = "platform_read_only"  # execution option of `Database.reading` sessions


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take the write lock at BEGIN instead so
        # concurrent writers queue on busy_timeout rather than failing on lock upgrade. Reads
        # (`Database.reading`) begin deferred: in WAL mode they neither wait for nor block writers.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(
            "BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let the "begin" listener issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Large catalogues (a million offers) are read through the OS cache by memory mapping, and
    # sorts and groupings stay in memory: a 2 MiB default page cache thrashed on them.
    cursor.execute("PRAGMA mmap_size=1073741824")
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.execute("PRAGMA temp_store=MEMORY")
    # Checkpoint every 64 MiB of WAL rather than 4 MiB: a bulk import dirties the same index pages
    # batch after batch, and each checkpoint writes them to the database file once more.
    cursor.execute("PRAGMA wal_autocheckpoint=16384")
    cursor.close()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            when_idle(self)  # an in-memory database would be lost with its connections
        # SQLite has one writer at a time. A transaction waiting for the write lock is polled by SQLite's busy
        # handler, whose sleeps grow to 100 ms, so that a consumer's write queued behind a read's access record
        # waited tens of milliseconds after the lock was free. This process's writers queue on a lock of its own
        # instead, handed over the moment it is released; other processes (a migration, a second worker on the
        # same file) still meet SQLite's busy handler. Reentrant: a transaction opened inside another in the
        # same thread behaves as before. PostgreSQL locks rows, not the database: nothing to queue on there.
        self._write_lock = threading.RLock() if self.engine.dialect.name == "sqlite" else nullcontext()

    def release_idle_memory(self) -> None:
        """SQLite's page cache lives in this process, up to 32 MiB a pooled connection: an idle process
        closes its pooled connections (those in use stay open, and close when given back), and the next
        request opens one again in well under a millisecond. PostgreSQL's caches live in its server, and
        a new connection costs an authentication: its pool stays."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self._write_lock, self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A consistent snapshot to read from, rolled back at the end. On SQLite it does not take
        the write lock, so reads never queue behind a bulk import; nothing may be written in it."""
        with self._read_sessions() as session:  # closing rolls back and keeps what was loaded
            yield session

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
