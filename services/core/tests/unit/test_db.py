"""The database wrapper on a real SQLite file: writes queue on the write lock, reads do not."""
import threading

import sqlalchemy as sa

from services.core.db import Database
from services.core.memory import release_idle_memory


def test_a_read_neither_waits_for_a_writer_nor_sees_its_uncommitted_rows(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'test.db'}")
    with db.transaction() as session:
        session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        session.execute(sa.text("INSERT INTO t VALUES (1)"))
    with db.transaction() as writer:
        writer.execute(sa.text("INSERT INTO t VALUES (2)"))  # holds the write lock
        with db.reading() as reader:  # would wait 30 s (busy_timeout) if it asked for the lock
            assert reader.execute(sa.text("SELECT count(*) FROM t")).scalar() == 1
    with db.reading() as reader:
        assert reader.execute(sa.text("SELECT count(*) FROM t")).scalar() == 2
    db.dispose()


def test_an_idle_release_closes_the_pooled_sqlite_connections_and_the_next_use_opens_one(tmp_path):
    """What an idle process does (services/core/memory.py): the page caches go with their connections,
    a connection still in use is not touched, and nothing written is lost."""
    db = Database(f"sqlite:///{tmp_path / 'test.db'}")
    with db.transaction() as session:
        session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        session.execute(sa.text("INSERT INTO t VALUES (1)"))
    pool = db.engine.pool
    with db.transaction() as in_use:
        in_use.execute(sa.text("INSERT INTO t VALUES (2)"))  # the session holds its connection from here
        release_idle_memory()
        in_use.execute(sa.text("INSERT INTO t VALUES (3)"))
    assert db.engine.pool is not pool and db.engine.pool.checkedin() == 0  # a new, empty pool
    with db.reading() as reader:
        assert reader.execute(sa.text("SELECT x FROM t ORDER BY x")).scalars().all() == [1, 2, 3]
    db.dispose()


def test_an_in_memory_database_keeps_its_connections_when_the_process_is_idle():
    db = Database("sqlite://")
    with db.transaction() as session:
        session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    release_idle_memory()
    with db.reading() as reader:
        assert reader.execute(sa.text("SELECT count(*) FROM t")).scalar() == 0


def test_this_process_writers_queue_on_its_own_lock_not_on_sqlites_busy_handler(tmp_path):
    """With SQLite's busy timeout at zero, a second writer that asked SQLite for the write lock while the
    first held it would fail at once ("database is locked"): it waits for the first to commit instead,
    and both writes stand."""
    db = Database(f"sqlite:///{tmp_path / 'test.db'}")
    sa.event.listen(db.engine, "connect", lambda connection, _: connection.execute("PRAGMA busy_timeout=0"))
    with db.transaction() as session:
        session.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    first_holds_the_lock, second_started = threading.Event(), threading.Event()
    failures = []

    def second_writer() -> None:
        first_holds_the_lock.wait()
        second_started.set()
        try:
            with db.transaction() as session:
                session.execute(sa.text("INSERT INTO t VALUES (2)"))
        except Exception as exc:  # the failure this test is about, reported by the assertion below
            failures.append(exc)

    thread = threading.Thread(target=second_writer)
    thread.start()
    with db.transaction() as session:
        session.execute(sa.text("INSERT INTO t VALUES (1)"))
        first_holds_the_lock.set()
        second_started.wait()
        thread.join(0.3)  # the second writer is given time to ask for the lock while the first holds it
    thread.join()
    assert failures == []
    with db.reading() as reader:
        assert reader.execute(sa.text("SELECT x FROM t ORDER BY x")).scalars().all() == [1, 2]
    db.dispose()
