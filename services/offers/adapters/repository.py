"""Loads and saves canonical offers, their sources, findings and blocking keys (the search index
follows the offers by itself: adapters/search_index.py).

Writes come in batches (an import commits hundreds of offers at once): inserts are executemany
with RETURNING, lookups take every key of the batch in one IN query. Nothing here commits.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.offers.adapters.orm import BlockingKeyRow, FindingRow, FingerprintRow, OfferRow, OfferSourceRow
from services.offers.domain.model import Finding
from services.offers.domain.offer import Offer, OfferStatus

LOOKUP_CHUNK = 500  # keys per IN (...) query
# A board copies an offer while it is fresh: comparing a new offer with the most recent offers of the
# same employer, place and job is enough, and keeps ingest from slowing as an employer's history grows
# (a million offers made it compare with hundreds).
CANDIDATES_PER_KEY = 20
KEYS_PER_UNION = 200  # SQLite allows 500 SELECTs in one compound statement


def offer_of(row: OfferRow) -> Offer:
    return Offer(row.id, row.owner_org_id, OfferStatus(row.status), row.version, row.draft, row.updated_at,
                 row.published_at, row.closed_at)


def store_state(row: OfferRow, offer: Offer) -> None:
    """The aggregate's state onto its row; the columns derived from its content are the catalogue's
    (`offer_values`)."""
    row.status, row.version, row.draft = offer.status.value, offer.version, offer.document
    row.updated_at, row.published_at, row.closed_at = offer.updated_at, offer.published_at, offer.closed_at


class OfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reads ---------------------------------------------------------------------------------
    def get(self, offer_id: str, *, for_update: bool = False) -> OfferRow | None:
        statement = sa.select(OfferRow).where(OfferRow.id == offer_id)
        return self.session.scalar(statement.with_for_update() if for_update else statement)

    def get_by_seq(self, seq: int, *, for_update: bool = False) -> OfferRow | None:
        statement = sa.select(OfferRow).where(OfferRow.seq == seq)
        return self.session.scalar(statement.with_for_update() if for_update else statement)

    def by_seqs(self, seqs: list[int], *, for_update: bool = False) -> list[OfferRow]:
        """In seq order, the order every transaction locks offers in (two never wait for each other)."""
        found: list[OfferRow] = []
        for chunk in _chunks(sorted(seqs)):
            statement = sa.select(OfferRow).where(OfferRow.seq.in_(chunk)).order_by(OfferRow.seq)
            found.extend(self.session.scalars(statement.with_for_update() if for_update else statement))
        return found

    def sources_by_key(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], OfferSourceRow]:
        found: dict[tuple[str, str], OfferSourceRow] = {}
        by_source: dict[str, list[str]] = {}
        for source, source_offer_id in dict.fromkeys(keys):
            by_source.setdefault(source, []).append(source_offer_id)
        s = OfferSourceRow
        for source, ids in by_source.items():
            # One source at a time: SQLite scans the whole table for a (source, id) IN (VALUES …) list.
            for chunk in _chunks(ids):
                statement = sa.select(s).where(s.source == source, s.source_offer_id.in_(chunk))
                found.update({(row.source, row.source_offer_id): row for row in self.session.scalars(statement)})
        return found

    def lock_keys(self, keys: Iterable[str]) -> None:
        """Until commit, hold each blocking key, so that two transactions filing offers under a key
        deduplicate one after the other: the second sees the first's offers (on PostgreSQL, two
        import workers, or an import and a single deposit, would otherwise each miss the other's
        copy of a job). Locks are taken in one order; SQLite's writer already holds the database."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        ids = sorted({_lock_id(key) for key in keys})
        if ids:  # unnest yields the sorted array in order, and each row takes its lock in turn
            self.session.execute(sa.text("SELECT pg_advisory_xact_lock(id) FROM unnest(CAST(:ids AS bigint[])) AS id"),
                                 {"ids": ids})

    def published_under(self, keys: Iterable[str]) -> dict[str, list[tuple[int, str, str]]]:
        """Dedup candidates: (seq, id, fingerprint) of the offers filed under any of these blocking
        keys, the CANDIDATES_PER_KEY most recent of each. Only published offers are filed (`file_under`
        with no keys unfiles the others), so the wide offers table is not read at all."""
        filed: dict[int, list[str]] = {}
        for chunk in _chunks(list(dict.fromkeys(keys)), KEYS_PER_UNION):
            for key, seq in self.session.execute(_most_recent_under(len(chunk)),
                                                 {f"k{i}": key for i, key in enumerate(chunk)}):
                filed.setdefault(seq, []).append(key)
        found: dict[str, list[tuple[int, str, str]]] = {}
        f = FingerprintRow
        for chunk in _chunks(list(filed)):
            for seq, offer_id, fingerprint in self.session.execute(sa.select(f.seq, f.offer_id, f.fingerprint).where(
                    f.seq.in_(chunk))):
                for key in filed[seq]:
                    found.setdefault(key, []).append((seq, offer_id, fingerprint))
        return found

    def sources_of(self, seq: int) -> list[OfferSourceRow]:
        return list(self.session.scalars(sa.select(OfferSourceRow).where(OfferSourceRow.offer_seq == seq)
                                         .order_by(OfferSourceRow.id)))

    def source_counts(self, seqs: list[int]) -> dict[int, int]:
        counts: dict[int, int] = {}
        s = OfferSourceRow
        for chunk in _chunks(seqs):
            counts.update(self.session.execute(
                sa.select(s.offer_seq, sa.func.count()).where(s.offer_seq.in_(chunk)).group_by(s.offer_seq)).all())
        return counts

    def findings_of(self, seq: int) -> list[Finding]:
        rows = self.session.scalars(sa.select(FindingRow).where(FindingRow.offer_seq == seq).order_by(FindingRow.position))
        return [Finding(r.rule_id, r.severity, r.field, r.excerpt, r.explanation, r.legal_basis) for r in rows]

    def expiring(self, today: date, limit: int = 500) -> list[int]:
        o = OfferRow
        return list(self.session.scalars(sa.select(o.seq).where(
            o.status == OfferStatus.PUBLISHED.value, o.ends_on < today).order_by(o.ends_on).limit(limit)))

    def peers(self, rome_code: str, departement_code: str, exclude_seq: int) -> list[tuple]:
        """(salary mid, contract type, duration, weekly hours) of the published offers of a ROME in a département."""
        o = OfferRow
        return list(self.session.execute(sa.select(
            o.salary_mid_yearly, o.contract_type, o.contract_duration_months, o.weekly_hours).where(
            o.status == OfferStatus.PUBLISHED.value, o.rome_code == rome_code, o.departement_code == departement_code,
            o.seq != exclude_seq)))

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

    def set_fingerprints(self, fingerprints: dict[int, tuple[str, str]], *, new: bool) -> None:
        """seq -> (offer id, fingerprint text), replacing the previous ones unless new."""
        if not new and fingerprints:
            self.session.execute(sa.delete(FingerprintRow).where(FingerprintRow.seq.in_(list(fingerprints))))
        if fingerprints:
            self.session.execute(sa.insert(FingerprintRow), [
                {"seq": seq, "offer_id": offer_id, "fingerprint": text} for seq, (offer_id, text) in fingerprints.items()])

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


@lru_cache(maxsize=8)
def _most_recent_under(keys: int) -> sa.TextClause:
    """The CANDIDATES_PER_KEY most recent offers under each of `keys` keys (:k0, :k1, …): one
    index range per key, read backwards and cut short, so the cost does not grow with how many
    offers a key has gathered (a window over each key's rows did)."""
    one = ("SELECT * FROM (SELECT key, offer_seq FROM offer_blocking_keys WHERE key = :k{i} "
           f"ORDER BY offer_seq DESC LIMIT {CANDIDATES_PER_KEY}) AS k{{i}}")
    return sa.text(" UNION ALL ".join(one.format(i=i) for i in range(keys)))


def _lock_id(key: str) -> int:
    """A blocking key as a PostgreSQL advisory lock id (a signed 64-bit integer)."""
    return int.from_bytes(hashlib.blake2b(f"offers.blocking-key:{key}".encode(), digest_size=8).digest(), "big",
                          signed=True)


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
