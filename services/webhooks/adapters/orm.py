"""The webhooks' tables: endpoints, the change log (the feed and the deliveries' source), each
subject's sequence, deliveries and their attempts."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime
from services.core.person_facts import PersonFactsRow  # noqa: F401  (the visibility rule's facts)

POSITION = BigInteger().with_variant(Integer, "sqlite")  # SQLite numbers rows only with INTEGER


class EndpointRow(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(100), index=True)
    org_type: Mapped[str] = mapped_column(String(40))
    org_territories: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(JSON)
    filter: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The signing secrets, as the HMAC needs them (a production deployment encrypts this column's
    # volume; the secrets never leave the service but in the answer that creates or rotates them).
    secrets: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    technical_contact: Mapped[str | None] = mapped_column(String(254))
    description: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(20))
    state_reason: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubjectRow(Base):
    """The last sequence number given to a subject's changes."""

    __tablename__ = "webhook_subjects"

    subject: Mapped[str] = mapped_column(String(36), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)


class ChangeRow(Base):
    """One partner-facing change, in the order the service consumed it: the change feed reads it by
    position, deliveries point at it. Written by the service's one consumer (one replica), so
    positions commit in order and a feed reader never passes a position still to commit."""

    __tablename__ = "webhook_changes"

    position: Mapped[int] = mapped_column(POSITION, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(36))
    sequence: Mapped[int] = mapped_column(Integer)
    departement_code: Mapped[str | None] = mapped_column(String(3))
    publisher: Mapped[str | None] = mapped_column(String(100))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class DeliveryRow(Base):
    """A message for one endpoint. Its id is the `webhook-id` of every attempt."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    endpoint_id: Mapped[str] = mapped_column(String(36))
    change_position: Mapped[int | None] = mapped_column(POSITION)
    event_type: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replay_of: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class AttemptRow(Base):
    __tablename__ = "webhook_attempts"

    delivery_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(Integer)
