"""Bulk deposit: an import job reads its file in batches, each batch one transaction.

A batch is first prepared (parsed, normalised, legality-checked, fingerprinted: CPU work that reads
nothing stored), then written (deduplicated against the catalogue and inserted). For big files a
helper process prepares the next batches while the worker writes one, so an import uses two cores.

A bad record never sinks the file: it is reported with its line and fields and the batch goes on.
Each batch commits its offers, its line errors and the job's progress together, so a job resumed
after a crash (another tick or replica re-claims it once it has been silent a while) continues at
the first record not yet committed and never ingests a record twice.
"""
from __future__ import annotations

import json
import logging
import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.core.db import Database
from services.core.errors import Forbidden
from services.core.identity import Caller
from services.offers.adapters.csv_offers import native_from_csv
from services.offers.adapters.import_files import CSV, records
from services.offers.adapters.orm import ImportErrorRow, ImportRow
from services.offers.domain.model import InvalidOffer, OfferDraft
from services.offers.domain.offer import OfferStatus
from services.offers.service.catalog import Assessed, OfferCatalog, assess
from services.offers.service.formats import NATIVE, draft_of
from services.offers.service.policy import Publisher, own_record

log = logging.getLogger("offers.imports")
QUEUED, RUNNING, COMPLETED, FAILED = "queued", "running", "completed", "failed"
STALE_AFTER = timedelta(minutes=5)
NOT_YOURS = "No import of yours with this id."
COUNTERS = ("created", "updated", "merged", "quarantined", "unchanged", "rejected")
# Files with at least this many records left are prepared in a helper process (starting one takes
# about a second: not worth it for a few batches).
HELPER_FROM = 5_000
AHEAD = 2  # batches in preparation while one is written
T, R = TypeVar("T"), TypeVar("R")


@dataclass
class PreparedBatch:
    """A batch of records read and assessed, ready to be written: `lines` records, of which
    `offers` are drafts and `errors` (line, field errors) the records that could not be read."""

    lines: int
    offers: list[Assessed]
    errors: list[tuple[int, list[dict]]]


def prepare(batch: list[tuple[int, str | dict]], kind: str, format_: str, publisher: Publisher) -> PreparedBatch:
    """Parse, normalise and assess a batch of records: what needs nothing stored (no database)."""
    offers: list[Assessed] = []
    errors: list[tuple[int, list[dict]]] = []
    for line, record in batch:
        try:
            offers.append(assess(_draft(record, kind, format_, publisher)))
        except InvalidOffer as exc:
            errors.append((line, exc.errors))
        except Forbidden as exc:
            errors.append((line, [{"field": exc.field, "message": exc.message}]))
    return PreparedBatch(len(batch), offers, errors)


def _draft(record: str | dict, kind: str, format_: str, publisher: Publisher) -> OfferDraft:
    if kind == CSV:
        if "__error__" in record:
            raise InvalidOffer([{"field": "line", "message": record["__error__"]}])
        return draft_of(native_from_csv(record), NATIVE, publisher)
    try:
        document = json.loads(record)
    except ValueError as exc:
        raise InvalidOffer([{"field": "line", "message": f"not valid JSON: {exc}"}]) from exc
    return draft_of(document, format_, publisher)


def prepared_ahead(work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """work(item) for each item, in order, computed in a helper process up to AHEAD items ahead
    of the caller: a batch is parsed and assessed on the other core while the previous one is
    written (SQLite takes one writer at a time, and the write is only part of an ingest)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) > AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class Imports:
    def __init__(self, db: Database, catalog: OfferCatalog, clock: Callable[[], datetime], batch_size: int = 500,
                 helper_from: int = HELPER_FROM) -> None:
        self.db, self.catalog, self.clock = db, catalog, clock
        self.batch_size, self.helper_from = batch_size, helper_from

    def create(self, session: Session, caller: Caller, import_id: str, path: Path, kind: str, format_: str,
               total: int) -> ImportRow:
        row = ImportRow(id=import_id, client_id=caller.client_id, org_id=caller.org_id,
                        publisher=Publisher.of(caller).to_dict(), media_type=kind, format=format_, path=str(path),
                        status=QUEUED, lines_total=total, lines_done=0, created_at=self.clock(),
                        **{name: 0 for name in COUNTERS})
        session.add(row)
        session.flush()
        return row

    def get(self, session: Session, caller: Caller, import_id: str) -> ImportRow:
        return own_record(caller, session.get(ImportRow, import_id), NOT_YOURS)

    def errors(self, session: Session, import_id: str, after_line: int, limit: int) -> list[ImportErrorRow]:
        return list(session.scalars(sa.select(ImportErrorRow).where(
            ImportErrorRow.import_id == import_id, ImportErrorRow.line > after_line)
            .order_by(ImportErrorRow.line).limit(limit)))

    # -- the worker ----------------------------------------------------------------------------
    def run_pending(self, now: datetime) -> int:
        """Process claimable jobs one after the other; returns how many were finished."""
        finished = 0
        while (import_id := self._claim(now)) is not None:
            self._process(import_id)
            finished += 1
            now = self.clock()
        return finished

    def _claim(self, now: datetime) -> str | None:
        with self.db.transaction() as session:
            i = ImportRow
            claimable = sa.or_(i.status == QUEUED, sa.and_(i.status == RUNNING, i.progress_at < now - STALE_AFTER))
            import_id = session.scalar(sa.select(i.id).where(claimable).order_by(i.created_at).limit(1))
            if import_id is None:
                return None
            claimed = session.execute(sa.update(i).where(i.id == import_id, claimable).values(
                status=RUNNING, started_at=sa.func.coalesce(i.started_at, now), progress_at=now))
            return import_id if claimed.rowcount == 1 else None

    def _process(self, import_id: str) -> None:
        with self.db.transaction() as session:
            job = session.get(ImportRow, import_id)
            path, kind, format_, done = Path(job.path), job.media_type, job.format, job.lines_done
            publisher, left = Publisher.from_dict(job.publisher), job.lines_total - job.lines_done
        work = partial(prepare, kind=kind, format_=format_, publisher=publisher)
        try:
            stream = records(path, kind, skip=done)
            batches = iter(lambda: list(islice(stream, self.batch_size)), [])
            for batch in prepared_ahead(work, batches) if left >= self.helper_from else map(work, batches):
                self._write(import_id, batch, publisher)
        except BrokenProcessPool:
            # The helper process died (killed, out of memory): like a crash of this process, the job
            # resumes at its first uncommitted record once it has been silent for STALE_AFTER.
            log.exception("import %s interrupted: its helper process died", import_id)
            return
        except Exception:
            log.exception("import %s failed", import_id)
            self._finish(import_id, FAILED)
            return
        self._finish(import_id, COMPLETED)
        path.unlink(missing_ok=True)

    def _write(self, import_id: str, batch: PreparedBatch, publisher: Publisher) -> None:
        with self.db.transaction() as session:
            outcomes = self.catalog.ingest_many(session, batch.offers, publisher)
            counts = Counter("quarantined" if o.status is OfferStatus.QUARANTINED and o.outcome == "created" else o.outcome
                             for o in outcomes)
            session.add_all([ImportErrorRow(import_id=import_id, line=line, errors=errors)
                             for line, errors in batch.errors])
            job = session.get(ImportRow, import_id, with_for_update=True)
            job.lines_done += batch.lines
            job.rejected += len(batch.errors)
            for name in ("created", "updated", "merged", "quarantined", "unchanged"):
                setattr(job, name, getattr(job, name) + counts[name])
            job.progress_at = self.clock()

    def _finish(self, import_id: str, status: str) -> None:
        with self.db.transaction() as session:
            job = session.get(ImportRow, import_id, with_for_update=True)
            job.status, job.finished_at = status, self.clock()
