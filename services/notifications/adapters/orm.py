"""The notifications' tables: each person's contact, and a send record per reminder and channel."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime


class ContactRow(Base):
    """The person's contact as registration.person.contact_changed.v1 last told it."""

    __tablename__ = "notification_contacts"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    preferred_channel: Mapped[str | None] = mapped_column(String(20))
    opted_out_channels: Mapped[list[str]] = mapped_column(JSON)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SendRecordRow(Base):
    __tablename__ = "notification_send_records"
    # One record per reminder event and channel: a second insert of the same pair is refused.
    __table_args__ = (UniqueConstraint("event_id", "channel"),
                      Index("ix_notification_send_records_due", "status", "next_attempt_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[str] = mapped_column(String(36), index=True)
    reminder: Mapped[dict[str, Any]] = mapped_column(JSON)  # the reminder event's data
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(30))
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
