"""Persistence of orientation: person facts with their current state, decision history,
referential versions, slots, appointments and the reminders sent."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime


class PersonRow(Base):
    """Facts from registration events, plus the orientation's current state (indexed for lists,
    visibility and the fallback job); the decisions themselves are in `orientation_decisions`."""

    __tablename__ = "orientation_persons"
    __table_args__ = (Index("ix_orientation_persons_due", "status", "decision_due_at"),)

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    birth_date: Mapped[date] = mapped_column(Date)
    commune_code: Mapped[str] = mapped_column(String(5))
    departement_code: Mapped[str] = mapped_column(String(3), index=True)
    rsa_recipient: Mapped[bool]
    rqth: Mapped[bool]
    executive: Mapped[bool]
    pre_diagnostic: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    referent_org_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decision_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    preferred_org_type: Mapped[str | None] = mapped_column(String(30), nullable=True)


class DecisionRow(Base):
    __tablename__ = "orientation_decisions"
    __table_args__ = (UniqueConstraint("person_id", "sequence", name="uq_orientation_decisions_sequence"),)

    decision_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), ForeignKey("orientation_persons.person_id"))
    sequence: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict] = mapped_column(JSON)


class ReferentialRow(Base):
    __tablename__ = "orientation_referentials"

    territory: Mapped[str] = mapped_column(String(10), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SlotRow(Base):
    __tablename__ = "orientation_slots"
    __table_args__ = (Index("ix_orientation_slots_org_page", "org_id", "starts_at", "id"),
                      Index("ix_orientation_slots_page", "starts_at", "id"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(10))
    location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Set by a conditional update when booked: the database lets one booking through.
    appointment_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Unique among the appointments holding their slot: a second appointment on a slot is refused by the
# database itself, while cancelled ones keep the slot they had for the person's history.
HOLDS_SLOT = text("status != 'cancelled'")


class AppointmentRow(Base):
    __tablename__ = "orientation_appointments"
    __table_args__ = (Index("uq_orientation_appointments_slot_held", "slot_id", unique=True,
                            sqlite_where=HOLDS_SLOT, postgresql_where=HOLDS_SLOT),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    slot_id: Mapped[str] = mapped_column(String(36), ForeignKey("orientation_slots.id"))
    person_id: Mapped[str] = mapped_column(String(36), ForeignKey("orientation_persons.person_id"), index=True)
    org_id: Mapped[str] = mapped_column(String(100))
    decision_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(10))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    delay_days: Mapped[int] = mapped_column(Integer)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    booked_by: Mapped[str] = mapped_column(String(100))
    no_show_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ReminderRow(Base):
    """One row per reminder sent: the primary key makes "each reminder once" hold across replicas."""

    __tablename__ = "orientation_reminders"

    appointment_id: Mapped[str] = mapped_column(String(36), ForeignKey("orientation_appointments.id"),
                                                primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
