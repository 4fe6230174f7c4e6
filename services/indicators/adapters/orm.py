"""Tables of the indicators service: the summed cells, each person's place (dossier facts carry a
person id only) and the person facts that arrived before the person's registration."""
from __future__ import annotations

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base


class IndicatorCellRow(Base):
    __tablename__ = "indicator_cells"

    indicator: Mapped[str] = mapped_column(String(60), primary_key=True)
    measure: Mapped[str] = mapped_column(String(12), primary_key=True)
    level: Mapped[str] = mapped_column(String(12), primary_key=True)
    territory: Mapped[str] = mapped_column(String(40), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    breakdown: Mapped[str] = mapped_column(String(40), primary_key=True)
    category: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class IndicatorPersonPlaceRow(Base):
    __tablename__ = "indicator_person_places"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5))


class IndicatorEarlyEventRow(Base):
    __tablename__ = "indicator_early_events"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    event_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict] = mapped_column(JSON)


class IndicatorBookingRow(Base):
    """A first appointment's booking facts, until it is cancelled (domain/facts.py: BOOKING_FACTS)."""

    __tablename__ = "indicator_bookings"

    appointment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    facts: Mapped[dict] = mapped_column(JSON)
