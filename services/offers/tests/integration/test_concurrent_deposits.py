"""Two boards depositing the same job at the same moment, in two transactions (two import workers,
or an import and a single deposit), still make one canonical offer: deduplication under a blocking
key waits for the transaction already filing offers under it, then sees its offer."""
import threading
import time

import pytest
import sqlalchemy as sa

from services.core.db import Database, utcnow
from services.core.events import SchemaRegistry
from services.core.outbox import Outbox
from services.core.settings import REPO_ROOT
from services.offers.adapters.orm import OfferRow, OfferSourceRow
from services.offers.adapters.search_index import SearchIndex
from services.offers.api import examples
from services.offers.domain.normalise import normalise
from services.offers.service.catalog import OfferCatalog, assess
from services.offers.service.policy import Publisher

pytestmark = pytest.mark.integration
BOARD_A = Publisher("emploi-ouest", "job_board", "emploi-ouest-board", offer_source="emploi-ouest")
BOARD_B = Publisher("interim-ouest", "temp_agency", "interim-ouest", offer_source="interim-ouest")


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.engine.dispose()


def the_job(publisher: Publisher):
    return assess(normalise({**examples.NATIVE, "source_offer_id": "same-job"}, source=publisher.source))


def deposit(db: Database, catalog: OfferCatalog, publisher: Publisher) -> None:
    with db.transaction() as session:
        catalog.ingest_many(session, [the_job(publisher)], publisher)


def waiting_for_a_lock(db: Database) -> bool:
    if db.engine.dialect.name != "postgresql":
        return True  # SQLite: the second writer waits for the whole database; nothing to observe
    with db.engine.connect() as conn:
        return conn.scalar(sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) > 0


def test_the_same_job_deposited_at_once_by_two_boards_becomes_one_offer(db, tmp_path):
    catalog = OfferCatalog(Outbox(SchemaRegistry(REPO_ROOT / "schemas"), "offers"), SearchIndex(tmp_path), utcnow)
    with db.transaction() as session:
        catalog.ingest_many(session, [the_job(BOARD_A)], BOARD_A)
        second = threading.Thread(target=deposit, args=(db, catalog, BOARD_B))
        second.start()
        deadline = time.monotonic() + 30
        while not waiting_for_a_lock(db):  # the second deposit reached its deduplication
            assert second.is_alive() and time.monotonic() < deadline, "the second deposit did not wait for the first"
            time.sleep(0.05)
    second.join(30)
    with db.transaction() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(OfferRow)) == 1
        assert sorted(session.scalars(sa.select(OfferSourceRow.source))) == ["emploi-ouest", "interim-ouest"]
