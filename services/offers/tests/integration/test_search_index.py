"""The search index follows the offers table through the queue its triggers fill, on both databases:
every write is indexed once caught up, a write made while indexing is not lost, and an index that
cannot be this catalogue's is rebuilt from the offers."""
import gc
import uuid

import pytest
import sqlalchemy as sa

from services.core.db import Database, utcnow
from services.core.memory import release_idle_memory
from services.offers.adapters.orm import OfferRow, SearchQueueRow
from services.offers.adapters.search import SearchQuery, search
from services.offers.adapters.search_index import SearchIndex
from services.offers.api import examples
from services.offers.domain.normalise import normalise
from services.offers.service.catalog import offer_values

pytestmark = pytest.mark.integration


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.engine.dispose()


def add_offer(db: Database, **changes) -> int:
    draft = normalise({**examples.NATIVE, "source_offer_id": str(uuid.uuid4())}, source="test")
    values = {**offer_values(draft, "published", utcnow()), **changes}
    with db.transaction() as session:
        row = OfferRow(id=str(uuid.uuid4()), version=1, owner_org_id="test", received_at=utcnow(),
                       published_at=utcnow(), **values)
        session.add(row)
        session.flush()
        return row.seq


def titles(db: Database, index: SearchIndex, text: str) -> list[str]:
    index.catch_up(db)
    with db.transaction() as session:
        return [hit.offer.title for hit in search(session, index.searcher(), SearchQuery(text=text)).hits]


def queued(db: Database) -> dict[int, int]:
    with db.transaction() as session:
        return dict(session.execute(sa.select(SearchQueueRow.seq, SearchQueueRow.changes)).all())


def test_inserts_and_updates_are_queued_by_the_database_and_indexed_once(db, tmp_path):
    index = SearchIndex(tmp_path / "index")
    seq = add_offer(db, title="Tourier de nuit")
    assert queued(db) == {seq: 1}
    assert titles(db, index, "tourier") == ["Tourier de nuit"]
    assert queued(db) == {}
    with db.transaction() as session:
        session.execute(sa.update(OfferRow).where(OfferRow.seq == seq).values(title="Pâtissier"))
    assert queued(db) == {seq: 1}
    assert titles(db, index, "tourier") == [] and titles(db, index, "patissier") == ["Pâtissier"]
    assert index.searcher().num_docs == 1  # replaced, not added


def test_a_write_made_while_indexing_stays_queued(db, tmp_path):
    index = SearchIndex(tmp_path / "index")
    seq = add_offer(db, title="Vendeur")
    seen = index._queued(db, after=None)  # what a catch-up reads before indexing
    with db.transaction() as session:  # meanwhile, a request rewrites the offer
        session.execute(sa.update(OfferRow).where(OfferRow.seq == seq).values(title="Vendeur tourier"))
    index._forget(db, seen)  # what it removes once the index is committed
    assert queued(db) == {seq: 2}  # the second write is still to index
    assert titles(db, index, "tourier") == ["Vendeur tourier"]


def test_an_index_that_does_not_account_for_the_offers_is_rebuilt(db, tmp_path):
    first = SearchIndex(tmp_path / "first")
    add_offer(db, title="Tourier")
    add_offer(db, title="Cariste")
    assert titles(db, first, "cariste") == ["Cariste"]
    # A fresh directory (a new machine, a lost volume): the queue is empty, the offers are not.
    second = SearchIndex(tmp_path / "second")
    assert titles(db, second, "tourier") == ["Tourier"] and second.searcher().num_docs == 2
    # An index left from another catalogue, with more documents than there are offers.
    with db.transaction() as session:
        session.execute(sa.text("DELETE FROM offers WHERE title = 'Cariste'"))
    del second
    gc.collect()  # the index writer, and its lock on the directory, go with their object
    reopened = SearchIndex(tmp_path / "second")
    assert titles(db, reopened, "cariste") == [] and reopened.searcher().num_docs == 1


def test_an_idle_process_lets_the_writer_go_and_the_next_write_opens_one(db, tmp_path):
    """services/core/memory.py: after an idle window the writer (its arena, its merge threads and its
    lock on the directory) is released; indexing goes on, and no document is lost or doubled."""
    index = SearchIndex(tmp_path / "index")
    add_offer(db, title="Tourier")
    assert titles(db, index, "tourier") == ["Tourier"]
    release_idle_memory()
    assert index._writer is None
    add_offer(db, title="Tourier de nuit")
    assert sorted(titles(db, index, "tourier")) == ["Tourier", "Tourier de nuit"]
    assert index.searcher().num_docs == 2
