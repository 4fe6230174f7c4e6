"""The search index of offers: a tantivy index (an embedded Lucene-like engine) kept in step with the
database, which stays the record.

Every insert or update of an offer files its `seq` in `offer_search_queue` (database triggers, so no
write path can forget it, in the writer's own transaction). `catch_up` indexes what is queued: it
reads the offers, replaces their documents, commits the index, and only then removes from the queue
the entries it saw (an entry changed meanwhile stays). A crash in between indexes them again, which
is harmless: an offer's document is replaced whole, keyed by its seq.

Searches call `catch_up` first, so a search sees every write committed before it; a periodic job
indexes bulk imports between searches. The index is derived data: when it does not account for the
catalogue (a fresh directory, another database), it is rebuilt from the offers on first use.

One process writes an index directory (tantivy holds a lock on it): this service runs one process
per deployment; docs/offers-search.md says how search scales out beyond.
"""
from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
import tantivy

from services.core.db import Database
from services.core.settings import REPO_ROOT
from services.offers.adapters.orm import OfferRow, SearchQueueRow
from services.offers.domain.text import terms

BATCH = 2000  # offers read, indexed and committed at a time
WRITER_HEAP_BYTES = 64 * 1024 * 1024
MISSING = "-"  # the value of a keyword an offer lacks, so facets can count it
KEYWORDS = ("status", "contract_type", "departement_code", "commune_code", "rome_code", "employer_siret",
            "owner_org_id")
SEQ_SPAN = 10 ** 9  # order key = publication second × SEQ_SPAN + seq: newest first, ties by arrival


def search_dir() -> Path:
    """OFFERS_SEARCH_DIR, default `$DATA_DIR/offers-search`: local disk of the one offers process."""
    default = Path(os.environ.get("DATA_DIR", REPO_ROOT / ".data")) / "offers-search"
    return Path(os.environ.get("OFFERS_SEARCH_DIR", default))


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("seq", stored=True, indexed=True, fast=True)
    # Terms arrive folded by the domain (accents, case, plurals): the index splits on spaces only.
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    for name in KEYWORDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_boolean_field("accessible", indexed=True, fast=True)
    builder.add_integer_field("salary_top", indexed=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)  # epoch microseconds
    builder.add_integer_field("order_key", indexed=True, fast=True)
    return builder.build()


SCHEMA = _schema()


def order_key(published_at: datetime | None, seq: int) -> int:
    """Date order as one integer: offers never published (quarantined) come after, newest first."""
    return (int(published_at.timestamp()) if published_at else 0) * SEQ_SPAN + seq


INDEXED_COLUMNS = [getattr(OfferRow, name) for name in (
    "seq", "title", "draft", *KEYWORDS, "accessible", "salary_top_yearly", "published_at")]


def document(row) -> tantivy.Document:
    """An offer as the index holds it: terms of the title apart (they weigh more), then those of the
    description, the ROME label, the employer's and the commune's names ("boulanger Nantes")."""
    draft = row.draft
    place = draft.get("place") or {}
    body = (draft.get("description"), (draft.get("rome") or {}).get("label"),
            (draft.get("employer") or {}).get("name"), place.get("commune_name"))
    doc = tantivy.Document()
    doc.add_integer("seq", row.seq)
    doc.add_text("title", " ".join(terms(row.title)))
    doc.add_text("body", " ".join(terms(" ".join(part for part in body if part))))
    for name in KEYWORDS:
        doc.add_text(name, getattr(row, name) or MISSING)
    doc.add_boolean("accessible", bool(row.accessible))
    if row.salary_top_yearly is not None:
        doc.add_integer("salary_top", row.salary_top_yearly)
    if row.published_at is not None:
        doc.add_integer("published", epoch_micros(row.published_at))
    doc.add_integer("order_key", order_key(row.published_at, row.seq))
    return doc


def epoch_micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


class SearchIndex:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._opened: tantivy.Index | None = None  # on first use: a process that never searches
        self._writer: tantivy.IndexWriter | None = None  # never touches the directory
        self._lock = threading.Lock()
        self._checked = False

    @property
    def index(self) -> tantivy.Index:
        if self._opened is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._opened = tantivy.Index(SCHEMA, path=str(self.directory), reuse=True)
        return self._opened

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def catch_up(self, db: Database) -> int:
        """Index every queued offer; how many were."""
        with self._lock:
            if not self._checked:
                self._rebuild_if_incomplete(db)
                self._checked = True
            done = 0
            while batch := self._queued(db):
                self._index(db, [seq for seq, _ in batch])
                with db.transaction() as session:
                    queue = SearchQueueRow.__table__
                    session.connection().execute(
                        queue.delete().where(queue.c.seq == sa.bindparam("s"), queue.c.changes == sa.bindparam("c")),
                        [{"s": seq, "c": changes} for seq, changes in batch])
                done += len(batch)
            return done

    def _queued(self, db: Database) -> list[tuple[int, int]]:
        with db.reading() as session:
            q = SearchQueueRow
            return [tuple(row) for row in session.execute(sa.select(q.seq, q.changes).order_by(q.seq).limit(BATCH))]

    def _index(self, db: Database, seqs: list[int]) -> None:
        with db.reading() as session:
            rows = list(session.execute(sa.select(*INDEXED_COLUMNS).where(OfferRow.seq.in_(seqs))))
        writer = self._writer_for_update()
        for seq in seqs:
            writer.delete_documents_by_term("seq", seq)
        for row in rows:
            writer.add_document(document(row))
        writer.commit()
        self.index.reload()

    def _writer_for_update(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
        return self._writer

    def _rebuild_if_incomplete(self, db: Database) -> None:
        """Start again from the offers when the index cannot be this catalogue's: more documents
        than offers, or fewer than the offers minus those waiting in the queue."""
        self.index.reload()
        indexed = self.searcher().num_docs
        with db.transaction() as session:
            offers = session.scalar(sa.select(sa.func.count()).select_from(OfferRow))
            queued = session.scalar(sa.select(sa.func.count()).select_from(SearchQueueRow))
            if indexed <= offers <= indexed + queued:
                return
            session.execute(sa.delete(SearchQueueRow))
            session.execute(sa.insert(SearchQueueRow).from_select(
                ["seq", "changes"], sa.select(OfferRow.seq, sa.literal(0))))
        writer = self._writer_for_update()
        writer.delete_all_documents()
        writer.commit()
        self.index.reload()
