"""The database wrapper on a real SQLite file: writes queue on the write lock, reads do not."""
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
