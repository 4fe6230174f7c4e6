"""Loads and saves canonical offers, their sources, findings, full-text terms and facet counts.

Writes come in batches (an import commits hundreds of offers at once): inserts are executemany
with RETURNING, lookups take every key of the batch in one IN query. Nothing here commits.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.offers.adapters.orm import BlockingKeyRow, FacetCountRow, FindingRow, OfferRow, OfferSourceRow
from services.offers.adapters.search import PUBLISHED, SearchQuery, SearchResult, search
from services.offers.adapters.text_index import IndexedText, text_index_for
from services.offers.domain.model import Finding

FacetKey = tuple[str, str, str, bool]
LOOKUP_CHUNK = 500  # keys per IN (...) query
# A board copies an offer while it is fresh: comparing a new offer with the most recent offers of the
# same employer, place and job is enough, and keeps ingest from slowing as an employer's history grows
# (a million offers made it compare with hundreds).
CANDIDATES_PER_KEY = 20


class OfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.text_index = text_index_for(self.dialect)

    # -- reads ---------------------------------------------------------------------------------
    def get(self, offer_id: str, *, for_update: bool = False) -> OfferRow | None:
        statement = sa.select(OfferRow).where(OfferRow.id == offer_id)
        return self.session.scalar(statement.with_for_update() if for_update else statement)

    def get_by_seq(self, seq: int, *, for_update: bool = False) -> OfferRow | None:
        statement = sa.select(OfferRow).where(OfferRow.seq == seq)
        return self.session.scalar(statement.with_for_update() if for_update else statement)

    def sources_by_key(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], OfferSourceRow]:
        found: dict[tuple[str, str], OfferSourceRow] = {}
        keys = list(dict.fromkeys(keys))
        for chunk in _chunks(keys):
            statement = sa.select(OfferSourceRow).where(
                sa.tuple_(OfferSourceRow.source, OfferSourceRow.source_offer_id).in_(chunk))
            found.update({(row.source, row.source_offer_id): row for row in self.session.scalars(statement)})
        return found

    def published_under(self, keys: Iterable[str]) -> dict[str, list[tuple[int, str, str]]]:
        """Dedup candidates: (seq, id, fingerprint) of the published offers filed under any of these
        blocking keys, the CANDIDATES_PER_KEY most recent of each. Two indexed lookups (keys, then
        offers by primary key): joined in one query, the planner may start from the many published
        offers instead of the few keys."""
        filed: dict[int, list[str]] = {}
        k = BlockingKeyRow
        for chunk in _chunks(list(dict.fromkeys(keys))):
            recent = sa.select(k.key, k.offer_seq, sa.func.row_number().over(
                partition_by=k.key, order_by=k.offer_seq.desc()).label("rank")).where(k.key.in_(chunk)).subquery()
            for key, seq in self.session.execute(sa.select(recent.c.key, recent.c.offer_seq)
                                                 .where(recent.c.rank <= CANDIDATES_PER_KEY)):
                filed.setdefault(seq, []).append(key)
        found: dict[str, list[tuple[int, str, str]]] = {}
        o = OfferRow
        for chunk in _chunks(list(filed)):
            for seq, offer_id, fingerprint in self.session.execute(sa.select(o.seq, o.id, o.fingerprint).where(
                    o.seq.in_(chunk), o.status == PUBLISHED)):
                for key in filed[seq]:
                    found.setdefault(key, []).append((seq, offer_id, fingerprint))
        return found

    def sources_of(self, seq: int) -> list[OfferSourceRow]:
        return list(self.session.scalars(sa.select(OfferSourceRow).where(OfferSourceRow.offer_seq == seq)
                                         .order_by(OfferSourceRow.id)))

    def findings_of(self, seq: int) -> list[Finding]:
        rows = self.session.scalars(sa.select(FindingRow).where(FindingRow.offer_seq == seq).order_by(FindingRow.position))
        return [Finding(r.rule_id, r.severity, r.field, r.excerpt, r.explanation, r.legal_basis) for r in rows]

    def expiring(self, today: date, limit: int = 500) -> list[int]:
        return list(self.session.scalars(sa.select(OfferRow.seq).where(
            OfferRow.status == PUBLISHED, OfferRow.ends_on < today).order_by(OfferRow.ends_on).limit(limit)))

    def peers(self, rome_code: str, departement_code: str, exclude_seq: int) -> list[tuple]:
        """(salary mid, contract type, duration, weekly hours) of the published offers of a ROME in a département."""
        o = OfferRow
        return list(self.session.execute(sa.select(
            o.salary_mid_yearly, o.contract_type, o.contract_duration_months, o.weekly_hours).where(
            o.status == PUBLISHED, o.rome_code == rome_code, o.departement_code == departement_code, o.seq != exclude_seq)))

    def search(self, query: SearchQuery) -> SearchResult:
        return search(self.session, self.text_index, query)

    # -- writes --------------------------------------------------------------------------------
    def add_offers(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert canonical offers; their seqs, in the order given."""
        if not rows:
            return []
        # A plain executemany, then the seqs by id: RETURNING in a sorted executemany makes
        # SQLAlchemy insert SQLite rows one statement at a time.
        self.session.execute(sa.insert(OfferRow), rows)
        seqs: dict[str, int] = {}
        for chunk in _chunks([row["id"] for row in rows]):
            seqs.update((offer_id, seq) for seq, offer_id in self.session.execute(
                sa.select(OfferRow.seq, OfferRow.id).where(OfferRow.id.in_(chunk))))
        return [seqs[row["id"]] for row in rows]

    def file_under(self, keys: dict[int, Sequence[str]], *, new: bool) -> None:
        """File offers under their blocking keys (replacing their previous ones unless new)."""
        if not new and keys:
            self.session.execute(sa.delete(BlockingKeyRow).where(BlockingKeyRow.offer_seq.in_(list(keys))))
        rows = [{"key": key, "offer_seq": seq} for seq, items in keys.items() for key in dict.fromkeys(items)]
        if rows:
            self.session.execute(sa.insert(BlockingKeyRow), rows)

    def add_sources(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.session.execute(sa.insert(OfferSourceRow), rows)

    def update_source(self, source_id: int, values: dict[str, Any]) -> None:
        self.session.execute(sa.update(OfferSourceRow).where(OfferSourceRow.id == source_id).values(**values))

    def replace_findings(self, findings: dict[int, Sequence[Finding]], *, new: bool) -> None:
        if not new and findings:
            self.session.execute(sa.delete(FindingRow).where(FindingRow.offer_seq.in_(list(findings))))
        rows = [{"offer_seq": seq, "position": position, **finding.to_dict()}
                for seq, items in findings.items() for position, finding in enumerate(items)]
        if rows:
            self.session.execute(sa.insert(FindingRow), rows)

    def index_text(self, rows: Sequence[IndexedText], *, new: bool) -> None:
        self.text_index.replace(self.session, rows, new=new)

    def count_facets(self, deltas: Counter) -> None:
        """Apply changes to the published-offer counts per facet key, in key order (no deadlock
        between two transactions counting the same keys)."""
        rows = [{"contract_type": k[0], "departement_code": k[1], "rome_code": k[2], "accessible": k[3], "offers": n}
                for k, n in sorted(deltas.items()) if n]
        if not rows:
            return
        insert = (sqlite_insert if self.dialect == "sqlite" else pg_insert)(FacetCountRow)
        statement = insert.on_conflict_do_update(
            index_elements=["contract_type", "departement_code", "rome_code", "accessible"],
            set_={"offers": FacetCountRow.offers + insert.excluded.offers})
        self.session.execute(statement, rows)


def facet_key(offer: OfferRow | dict[str, Any]) -> FacetKey:
    get = offer.get if isinstance(offer, dict) else lambda name: getattr(offer, name)
    return (get("contract_type") or "", get("departement_code") or "", get("rome_code") or "", bool(get("accessible")))


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
