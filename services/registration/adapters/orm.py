"""Persistence of registrations: indexed columns for search and rules, sections as one JSON document."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime


class RegistrationRow(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        Index("ix_registrations_territory_page", "departement_code", "created_at", "id"),
        Index("ix_registrations_page", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    commune_code: Mapped[str] = mapped_column(String(5))
    departement_code: Mapped[str] = mapped_column(String(3))
    region_code: Mapped[str] = mapped_column(String(3))
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    rsa_recipient: Mapped[bool]
    rqth: Mapped[bool]
    executive: Mapped[bool]
    nir_fingerprint: Mapped[str | None] = mapped_column(String(64), unique=True)
    nir_masked: Mapped[str | None] = mapped_column(String(32))
    possible_duplicate_of: Mapped[str | None] = mapped_column(String(36))
    sections: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NirConflictRow(Base):
    """One row per NIR conflict a client met: what its allowance counts (domain/nir_conflicts.py)."""

    __tablename__ = "registration_nir_conflicts"
    __table_args__ = (Index("ix_registration_nir_conflicts_client", "client_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
