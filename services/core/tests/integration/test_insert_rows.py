"""core.db's set statements on both databases: insert_rows gives the same rows and the same conflict
handling whether it runs as one statement over arrays (PostgreSQL) or as an executemany (SQLite); among
selects the same rows whether it binds no value, one (plain equality) or many (one array parameter)."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from services.core.db import Database, UTCDateTime, among, insert_rows
from tests.support.databases import fresh_database
from tests.support.fixtures import BACKENDS

pytestmark = pytest.mark.integration

metadata = sa.MetaData()
counts = sa.Table("test_counts", metadata,
                  sa.Column("place", sa.String, primary_key=True), sa.Column("month", sa.String, primary_key=True),
                  sa.Column("value", sa.Integer, nullable=False), sa.Column("seen_at", UTCDateTime, nullable=False))


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    with fresh_database(request.param, tmp_path, "indicators") as url:
        database = Database(url)
        metadata.create_all(database.engine)
        yield database
        database.dispose()


def summing(session):
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(counts)
    return statement.on_conflict_do_update(index_elements=["place", "month"],
                                           set_={"value": counts.c.value + statement.excluded.value})


def test_rows_are_inserted_and_conflicts_resolved_by_the_statement_clause(db):
    at = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)
    first = [{"place": str(44000 + n), "month": "2026-03", "value": n, "seen_at": at + timedelta(minutes=n)}
             for n in range(1, 1001)]
    with db.transaction() as session:
        insert_rows(session, summing(session), first)
    again = [{"place": "44001", "month": "2026-03", "value": 10, "seen_at": at},
             {"place": "44001", "month": "2026-04", "value": 7, "seen_at": at}]
    with db.transaction() as session:
        insert_rows(session, summing(session), again)
        insert_rows(session, summing(session), [])  # nothing to write: no statement
    with db.reading() as session:
        rows = {(place, month): (value, seen_at) for place, month, value, seen_at in session.execute(sa.select(counts))}
    assert len(rows) == 1001
    assert rows[("44001", "2026-03")] == (11, at + timedelta(minutes=1))  # summed, the first row's time kept
    assert rows[("44001", "2026-04")] == (7, at)
    assert rows[("44999", "2026-03")] == (999, at + timedelta(minutes=999))  # timezone-aware on both


@pytest.mark.parametrize("places", [[], ["44002"], ["44002", "44003", "nowhere"], [str(44000 + n) for n in range(0, 500, 2)]])
def test_among_selects_exactly_the_rows_named(db, places):
    at = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with db.transaction() as session:
        insert_rows(session, summing(session), [{"place": str(44000 + n), "month": "2026-03", "value": n, "seen_at": at}
                                                for n in range(1, 501)])
    stored = {str(44000 + n) for n in range(1, 501)}
    with db.reading() as session:
        found = set(session.execute(sa.select(counts.c.place).where(among(session, counts.c.place, places))).scalars())
        others = set(session.execute(sa.select(counts.c.place).where(~among(session, counts.c.place, places))).scalars())
    assert found == set(places) & stored
    assert others == stored - set(places)  # negated, as the outbox relay leaves out the rows it delivered
