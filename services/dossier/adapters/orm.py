"""Tables of the dossier service: sections (the read model and partners' writes), and two
append-only journals: the change history and the access log (see migrations/versions/0001)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime
from services.dossier.domain.journal import DOSSIER

_ID = BigInteger().with_variant(Integer, "sqlite")


class SectionRow(Base):
    __tablename__ = "dossier_sections"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    section: Mapped[str] = mapped_column(String(30), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    meta: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChangeRow(Base):
    __tablename__ = "dossier_changes"
    __table_args__ = (Index("ix_dossier_changes_person", "person_id", "id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36))
    section: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON)
    client_id: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[str] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccessRow(Base):
    __tablename__ = "dossier_access_log"
    __table_args__ = (Index("ix_dossier_access_log_person", "person_id", "id"),)

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36))
    access: Mapped[str] = mapped_column(String(10))  # read | write | refused
    sections: Mapped[list] = mapped_column(JSON)
    purpose: Mapped[str | None] = mapped_column(String(30))
    client_id: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[str] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    service: Mapped[str] = mapped_column(String(30), default=DOSSIER)  # the service that accessed the data
    reason: Mapped[str | None] = mapped_column(String(300))  # why a refused attempt was refused
    # A read made for a control: when its procedure closed (the person sees it from then on).
    procedure_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
