"""Tables of the sanctions service: lapses, cases (the case as a document, with the columns lists,
the deadline job and statistics filter on), each territory's choice of scale version, and the reads
made for a control held back until their procedure closes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base, UTCDateTime
from services.core.person_facts import PersonFactsRow  # noqa: F401  (the visibility rule's projection)


class LapseRow(Base):
    __tablename__ = "sanction_lapses"
    __table_args__ = (Index("ix_sanction_lapses_waiting", "person_id", "obligation", "case_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36))
    obligation: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(100))
    territory: Mapped[str] = mapped_column(String(3))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM of recording, for statistics
    case_id: Mapped[str | None] = mapped_column(String(36))


class CaseRow(Base):
    __tablename__ = "sanction_cases"
    __table_args__ = (Index("ix_sanction_cases_due", "status", "observation_ends_at"),
                      Index("ix_sanction_cases_person", "person_id", "status"),
                      Index("ix_sanction_cases_territory", "territory", "public", "opened_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36))
    territory: Mapped[str] = mapped_column(String(3))
    public: Mapped[str] = mapped_column(String(10))
    scale_version: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM of opening, for statistics
    observation_ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rule: Mapped[str] = mapped_column(String(60))
    consequence_kind: Mapped[str | None] = mapped_column(String(40))  # once a sanction is decided
    document: Mapped[dict] = mapped_column(JSON)


class ScaleChoiceRow(Base):
    __tablename__ = "sanction_scale_choices"

    territory: Mapped[str] = mapped_column(String(3), primary_key=True)
    version: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)


class HeldAccessRow(Base):
    """A read made for a control while its procedure runs: the person is told of it once the case
    closes (the law allows delaying it, not dropping it), as the access event it would have been."""

    __tablename__ = "sanction_held_accesses"
    __table_args__ = (Index("ix_sanction_held_accesses_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(36))
    person_id: Mapped[str] = mapped_column(String(36))
    access: Mapped[dict] = mapped_column(JSON)  # the access event's data, as it will be published
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
