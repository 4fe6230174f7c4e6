"""Persistence of the profile bank: one row per profile (document plus its one-valued columns), the
queue of profiles the search index has yet to see, the offers kept from the offers events,
introductions, the access log and the daily view counters."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime


class ProfileRow(Base):
    __tablename__ = "profiles"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    commune_code: Mapped[str] = mapped_column(String(5), index=True)
    departement_code: Mapped[str] = mapped_column(String(3))
    region_code: Mapped[str] = mapped_column(String(3))
    referent_org_id: Mapped[str | None] = mapped_column(String(100))
    # Who may find it, kept current on every save: consent, and for temp agencies temporary work.
    findable_employers: Mapped[bool] = mapped_column(index=True)
    findable_temp_agencies: Mapped[bool] = mapped_column(index=True)
    findable_counsellors: Mapped[bool] = mapped_column(index=True)
    working_time: Mapped[str | None] = mapped_column(String(20))
    available_from: Mapped[date | None] = mapped_column(Date)
    driving_licence: Mapped[bool]
    document: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SearchQueueRow(Base):
    """Profiles changed since the search index last saw them, filed by database triggers on
    `profiles` (migration 0002); `changes` counts the writes, so an entry rewritten while being
    indexed stays."""

    __tablename__ = "profile_search_queue"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer)


class KeptOfferRow(Base):
    __tablename__ = "kept_offers"

    offer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    rome_code: Mapped[str | None] = mapped_column(String(5))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    contract_type: Mapped[str | None] = mapped_column(String(5))
    working_time: Mapped[str | None] = mapped_column(String(20))


class IntroductionRow(Base):
    __tablename__ = "introductions"
    __table_args__ = (Index("ix_introductions_due", "status", "expires_at"),
                      Index("ix_introductions_person", "person_id", "requested_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36))
    requester_org_id: Mapped[str] = mapped_column(String(100))
    requester_org_type: Mapped[str] = mapped_column(String(30))
    requester_client_id: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(20))
    departement_code: Mapped[str] = mapped_column(String(3))
    offer_id: Mapped[str | None] = mapped_column(String(36))
    message: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(100))
    contact_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_reason: Mapped[str | None] = mapped_column(String(40))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccessRow(Base):
    __tablename__ = "profile_access_log"
    __table_args__ = (Index("ix_profile_access_person", "person_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))
    org_id: Mapped[str] = mapped_column(String(100))
    org_type: Mapped[str] = mapped_column(String(30))
    client_id: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reference: Mapped[str | None] = mapped_column(String(36))


class DailyViewsRow(Base):
    __tablename__ = "profile_daily_views"

    org_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(Integer)


class EarlyEventRow(Base):
    """Orientation or diagnostic events that arrived before the person's registration (another topic)."""

    __tablename__ = "profile_early_events"
    __table_args__ = (Index("ix_profile_early_events_person", "person_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(36))
    envelope: Mapped[dict] = mapped_column(JSON)
