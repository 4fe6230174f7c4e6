"""Persistence of offers: canonical offers, the sources that carry each one, legality findings, the
queue of the search index, import jobs, saved searches and the matches sent.

An offer's typed columns (codes, integers, dates) serve the search index, dedup, expiry and
attractiveness; the full normalised offer is kept as JSON for display. Search itself runs on the
search index (adapters/search_index.py), so the offers table only keeps the indexes its own
lookups need.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, BigInteger, Boolean, Date, Float, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime

SEQ = BigInteger().with_variant(Integer, "sqlite")  # SQLite's rowid alias must be INTEGER


class OfferRow(Base):
    """A canonical offer. `seq` is the internal key shared with the full-text index; `id` is public."""

    __tablename__ = "offers"
    __table_args__ = (
        Index("ix_offers_rome", "status", "rome_code", "departement_code", "published_at"),
        Index("ix_offers_ends_on", "status", "ends_on"),
    )

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    status: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer)
    owner_org_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    contract_type: Mapped[str | None] = mapped_column(String(3))
    departement_code: Mapped[str | None] = mapped_column(String(3))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    rome_code: Mapped[str | None] = mapped_column(String(5))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    salary_top_yearly: Mapped[int | None] = mapped_column(Integer, doc="max of the range, else its min")
    salary_mid_yearly: Mapped[float | None] = mapped_column(Float)
    contract_duration_months: Mapped[int | None] = mapped_column(SmallInteger)
    weekly_hours: Mapped[float | None] = mapped_column(Float)
    employer_siret: Mapped[str | None] = mapped_column(String(14))
    accessible: Mapped[bool] = mapped_column(Boolean)
    ends_on: Mapped[date | None] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    draft: Mapped[dict] = mapped_column(JSON)


class OfferSourceRow(Base):
    """Where an offer was published: one row per (source, source_offer_id), pointing at the
    canonical offer it was merged into. Re-sending the same pair updates this row."""

    __tablename__ = "offer_sources"
    __table_args__ = (UniqueConstraint("source", "source_offer_id", name="uq_offer_sources_source_id"),)

    id: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=True)
    offer_seq: Mapped[int] = mapped_column(SEQ, ForeignKey("offers.seq"), index=True)
    source: Mapped[str] = mapped_column(String(100))
    source_offer_id: Mapped[str] = mapped_column(String(200))
    publisher_org_id: Mapped[str] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(String(2000))
    primary: Mapped[bool] = mapped_column(Boolean)
    similarity: Mapped[float | None] = mapped_column(Float)
    draft: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FingerprintRow(Base):
    """An offer's dedup fingerprint, apart from the wide offers table: dedup reads thousands of
    them per import batch, and read from the offers row each cost a walk through its overflow
    pages (the JSON document makes rows a few kB)."""

    __tablename__ = "offer_fingerprints"

    seq: Mapped[int] = mapped_column(SEQ, ForeignKey("offers.seq"), primary_key=True, autoincrement=False)
    offer_id: Mapped[str] = mapped_column(String(36))
    fingerprint: Mapped[str] = mapped_column(Text)


class BlockingKeyRow(Base):
    """Deduplication: each canonical offer under every blocking key of its fingerprint (same SIRET,
    or same employer name, with the same commune and ROME); a new offer is compared only with the
    offers found under its own keys."""

    __tablename__ = "offer_blocking_keys"
    # Re-filing an offer deletes its keys by seq: without this index, a scan of every key per
    # merged offer (most of a million-offer import's time).
    __table_args__ = (Index("ix_offer_blocking_keys_seq", "offer_seq"),)

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    offer_seq: Mapped[int] = mapped_column(SEQ, ForeignKey("offers.seq"), primary_key=True)


class FindingRow(Base):
    """The legality check's findings on the canonical offer, replaced at each check."""

    __tablename__ = "offer_findings"

    offer_seq: Mapped[int] = mapped_column(SEQ, ForeignKey("offers.seq"), primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    field: Mapped[str] = mapped_column(String(100))
    excerpt: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(String(300))


class SearchQueueRow(Base):
    """Offers changed since the search index last saw them, filed by database triggers on `offers`
    (migration 0002); `changes` counts the writes, so an entry rewritten while being indexed stays."""

    __tablename__ = "offer_search_queue"

    seq: Mapped[int] = mapped_column(SEQ, primary_key=True, autoincrement=False)
    changes: Mapped[int] = mapped_column(Integer)


class ImportRow(Base):
    __tablename__ = "offer_imports"
    __table_args__ = (Index("ix_offer_imports_status", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[str] = mapped_column(String(100))
    publisher: Mapped[dict] = mapped_column(JSON)
    media_type: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(12))
    lines_total: Mapped[int] = mapped_column(Integer)
    lines_done: Mapped[int] = mapped_column(Integer)
    created: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    merged: Mapped[int] = mapped_column(Integer)
    quarantined: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportErrorRow(Base):
    __tablename__ = "offer_import_errors"

    import_id: Mapped[str] = mapped_column(String(36), ForeignKey("offer_imports.id"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    errors: Mapped[list] = mapped_column(JSON)


class SubscriptionRow(Base):
    __tablename__ = "offer_subscriptions"
    __table_args__ = (Index("ix_offer_subscriptions_org", "org_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(100))
    # The subscriber as the visibility rule reads it, re-checked at each match.
    org_type: Mapped[str] = mapped_column(String(30))
    org_territories: Mapped[list] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscriptionKeyRow(Base):
    """Candidate keys of a saved search ("rome:D1102", "dep:44" or "any"): a new offer is only
    compared with the searches sharing one of its keys."""

    __tablename__ = "offer_subscription_keys"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    subscription_id: Mapped[str] = mapped_column(String(36), ForeignKey("offer_subscriptions.id", ondelete="CASCADE"),
                                                 primary_key=True)


class MatchRow(Base):
    """One match sent per person and offer: the primary key keeps it single across replays."""

    __tablename__ = "offer_matches"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subscription_id: Mapped[str] = mapped_column(String(36))
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime)
