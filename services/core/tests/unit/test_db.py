"""The database wrapper on a real SQLite file: writes queue on the write lock, reads do not."""
import sqlalchemy as sa

from services.core.db import Database


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
