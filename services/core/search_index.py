"""A search index (tantivy: an embedded Lucene-like engine) kept in step with a table of record,
which stays the record. Offers and profiles search through one each.

Every insert or update of a record row files its key in a queue table (database triggers, so no
write path can forget it, in the writer's own transaction: `queue_trigger_statements` for the
migration). `catch_up` indexes what is queued: it reads the rows, replaces their documents, commits
the index, and only then removes from the queue the entries it saw (an entry changed meanwhile
stays). A crash in between indexes them again, which is harmless: a document is replaced whole,
keyed by the row's key.

Searches call `catch_up` first, so a search sees every write committed before it; a periodic job
indexes bulk writes between searches. A search then reads the index at one commit (`reading`), and
may keep an answer that costs to compute (facet counts over a whole audience) for the next searches
at the same commit: Elasticsearch's request cache, emptied at each refresh, does the same. The index is derived data: when it does not account for the
table (a fresh directory, another database), it is rebuilt from the table on first use.

One process writes an index directory (tantivy holds a lock on it), and the queue is consumed by
the process that indexes it: one search process per deployment (docs/offers-search.md says how
search scales out beyond).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import tantivy
from sqlalchemy.orm import Session

from services.core.db import Database
from services.core.memory import when_idle
from services.core.settings import REPO_ROOT

BATCH = 2000  # rows read, indexed and committed at a time
ANSWERS_KEPT = 256  # answers remembered for the current commit, the oldest forgotten first
WRITER_HEAP_BYTES = 64 * 1024 * 1024
T = TypeVar("T")
MISSING = "-"  # the value of a keyword a document lacks, so facets can count it


def search_dir(service: str) -> Path:
    """`<SERVICE>_SEARCH_DIR`, default `$DATA_DIR/<service>-search`: local disk of the one search process."""
    default = Path(os.environ.get("DATA_DIR", REPO_ROOT / ".data")) / f"{service}-search"
    return Path(os.environ.get(f"{service.upper()}_SEARCH_DIR", default))


@dataclass(frozen=True)
class IndexedTable:
    """What an index is built from. `record` and `queue` are ORM classes sharing the key column
    `key`; the queue also has `changes` (writes counted, so an entry rewritten while being indexed
    stays). `documents` turns the rows of some keys into documents holding `key` as a field."""

    schema: tantivy.Schema
    key: str
    record: type
    queue: type
    documents: Callable[[Session, list[Any]], Iterable[tantivy.Document]]


@dataclass(frozen=True)
class Reading:
    """The index at one commit, as one request reads it."""

    searcher: tantivy.Searcher
    generation: int  # commits of this process's index before it
    index: SearchIndex

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`'s answer on this reading, from memory when a search at the same commit asked
        already (`key` names the question). Answers are shared between requests: never modify one."""
        return self.index._remembered(self.generation, key, compute)


class SearchIndex:
    def __init__(self, directory: Path, table: IndexedTable) -> None:
        self.directory, self.table = directory, table
        self._opened: tantivy.Index | None = None  # on first use: a process that never searches
        self._writer: tantivy.IndexWriter | None = None  # never touches the directory
        self._lock = threading.Lock()
        self._checked = False
        self._generation = 0  # index commits so far: an answer is valid at the generation it was computed on
        self._answers: dict[Hashable, Any] = {}
        self._answers_generation = 0
        self._answers_lock = threading.Lock()
        when_idle(self)

    def release_idle_memory(self) -> None:
        """The writer keeps its indexing arena and merge threads between commits: an idle process
        lets it go once its merges end, and the next write opens one again. Under the lock, as a
        second writer cannot open the directory before the first is gone."""
        with self._lock:
            writer, self._writer = self._writer, None
            if writer is not None:
                writer.wait_merging_threads()

    @property
    def index(self) -> tantivy.Index:
        if self._opened is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._opened = tantivy.Index(self.table.schema, path=str(self.directory), reuse=True)
        return self._opened

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def reading(self, db: Database) -> Reading:
        """The index with every write committed before this call, and its generation."""
        self.catch_up(db)
        with self._lock:  # no commit between the two
            return Reading(self.searcher(), self._generation, self)

    def _remembered(self, generation: int, key: Hashable, compute: Callable[[], T]) -> T:
        with self._answers_lock:
            if self._answers_generation == generation and key in self._answers:
                return self._answers[key]
        answer = compute()
        with self._answers_lock:
            if generation == self._generation:  # still the index's answer: keep it, and only answers as fresh
                if self._answers_generation != generation:
                    self._answers, self._answers_generation = {}, generation
                self._answers[key] = answer
                if len(self._answers) > ANSWERS_KEPT:
                    del self._answers[next(iter(self._answers))]
        return answer

    def _committed(self) -> None:
        """After each commit of the writer (under the lock): searchers see it, answers are older."""
        self.index.reload()
        self._generation += 1

    def catch_up(self, db: Database) -> int:
        """Index every queued row; how many were."""
        with self._lock:
            if not self._checked:
                self._rebuild_if_incomplete(db)
                self._checked = True
            done, after = 0, None
            # Through the queue in key order, once: an entry left behind (see `_forget`) waits for
            # the next catch-up rather than being indexed again and again while its writer works.
            while batch := self._queued(db, after):
                self._index(db, [key for key, _ in batch])
                self._forget(db, batch)
                done, after = done + len(batch), batch[-1][0]
            return done

    def _forget(self, db: Database, batch: list[tuple[Any, int]]) -> None:
        """Remove the entries indexed, unless rewritten since (`changes` moved) or being rewritten
        now. A writer's transaction holds its entry's row lock until it commits, and may go on to
        file other entries: waiting for it while holding entries of our own is how the two deadlocked
        on PostgreSQL (a writer filing b then a, us deleting a then b). So entries locked by a writer
        are skipped (SKIP LOCKED; SQLite locks the whole database and has no row locks to skip):
        their writer is about to count a change, and the next catch-up indexes them again."""
        queue = self.table.queue.__table__
        key = queue.c[self.table.key]
        unchanged = (sa.select(key).where(sa.tuple_(key, queue.c.changes).in_(batch))
                     .with_for_update(skip_locked=True))
        with db.transaction() as session:
            session.execute(queue.delete().where(key.in_(unchanged)))

    def _queued(self, db: Database, after: Any) -> list[tuple[Any, int]]:
        queue = self.table.queue
        key = getattr(queue, self.table.key)
        beyond = sa.true() if after is None else key > after
        with db.reading() as session:
            return [tuple(row) for row in
                    session.execute(sa.select(key, queue.changes).where(beyond).order_by(key).limit(BATCH))]

    def _index(self, db: Database, keys: list[Any]) -> None:
        with db.reading() as session:
            documents = list(self.table.documents(session, keys))
        writer = self._writer_for_update()
        for key in keys:
            writer.delete_documents_by_term(self.table.key, key)
        for document in documents:
            writer.add_document(document)
        writer.commit()
        self._committed()

    def _writer_for_update(self) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1)
        return self._writer

    def _rebuild_if_incomplete(self, db: Database) -> None:
        """Start again from the table when the index cannot be its: more documents than rows, or
        fewer than the rows minus those waiting in the queue."""
        self.index.reload()
        indexed = self.searcher().num_docs
        record, queue, key = self.table.record, self.table.queue, self.table.key
        with db.transaction() as session:
            rows = session.scalar(sa.select(sa.func.count()).select_from(record))
            queued = session.scalar(sa.select(sa.func.count()).select_from(queue))
            if indexed <= rows <= indexed + queued:
                return
            session.execute(sa.delete(queue))
            session.execute(sa.insert(queue).from_select([key, "changes"],
                                                         sa.select(getattr(record, key), sa.literal(0))))
        writer = self._writer_for_update()
        writer.delete_all_documents()
        writer.commit()
        self._committed()


def term_counts(searcher: tantivy.Searcher, query: tantivy.Query, names: Sequence[str],
                size: int = 10_000) -> dict[tuple[str, str | None], int]:
    """Facet counts over every document the query matches: a terms aggregation per keyword field,
    computed from the columnar fields, never document by document. `size` is above the values any
    field has, so the counts are exact; MISSING comes back as None."""
    answer = searcher.aggregate(query, {name: {"terms": {"field": name, "size": size}} for name in names})
    return {(name, None if bucket["key"] == MISSING else bucket["key"]): bucket["doc_count"]
            for name in names for bucket in answer[name]["buckets"]}


def fold_facets(counts: dict[tuple[str, Any], int], names: Sequence[str],
                top: int | None = None) -> dict[str, list[tuple[Any, int]]]:
    """One list per facet, largest first, then by value; the `top` first values if given."""
    facets: dict[str, list[tuple[Any, int]]] = {name: [] for name in names}
    for (name, value), n in counts.items():
        facets[name].append((value, n))
    return {name: sorted(items, key=lambda item: (-item[1], "" if item[0] is None else str(item[0])))[:top]
            for name, items in facets.items()}


def queue_trigger_statements(dialect: str, table: str, queue: str, key: str, name: str) -> list[str]:
    """The SQL a migration runs so that every insert or update of `table` files its `key` in
    `queue` (counting the writes in `changes`), in the writer's transaction."""
    upsert = (f"INSERT INTO {queue} ({key}, changes) VALUES (NEW.{key}, 1) "
              f"ON CONFLICT ({key}) DO UPDATE SET changes = {queue}.changes + 1;")
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {name}_{event} AFTER {event} ON {table} BEGIN\n  {upsert}\nEND"
                for event in ("INSERT", "UPDATE")]
    return [f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  {upsert}\n"
            f"  RETURN NULL;\nEND $$",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"]
