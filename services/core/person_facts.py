"""A service's projection of the facts the platform's visibility rule reads (`person_policy`).

A service that takes person ids without owning the person (offers' saved searches) keeps, from the
registration events and orientation's decisions, one row per person: where they live, their birth
date, RSA and executive status, and orientation's current referent or target. Core provides the
table, its first migration, the repository and the event handlers; each service wires the handlers
to its consumer with the producers' event types, as core imports no service.

A person no registration event has told about is unknown: `PersonFactsRepository.get` answers None,
which the rule treats as known to nobody, so an unknown id and an invisible one get the same answer.
Events of a person arrive in order on each topic (keyed by person), so the latest applied is current.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.core.db import Base
from services.core.events import Envelope
from services.core.person_policy import PersonFacts


class PersonFactsRow(Base):
    __tablename__ = "person_facts"

    person_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    departement_code: Mapped[str | None] = mapped_column(String(3))  # None until a registration event
    birth_date: Mapped[date | None] = mapped_column(Date)
    rsa_recipient: Mapped[bool] = mapped_column(default=False)
    executive: Mapped[bool] = mapped_column(default=False)
    referent_org_id: Mapped[str | None] = mapped_column(String(100))
    target_org_id: Mapped[str | None] = mapped_column(String(100))


def create_person_facts_table() -> None:
    """The table as of its first version, for each service's migration that needs it."""
    op.create_table(
        "person_facts",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("departement_code", sa.String(3)),
        sa.Column("birth_date", sa.Date),
        sa.Column("rsa_recipient", sa.Boolean, nullable=False),
        sa.Column("executive", sa.Boolean, nullable=False),
        sa.Column("referent_org_id", sa.String(100)),
        sa.Column("target_org_id", sa.String(100)),
    )


class PersonFactsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, person_id: str) -> PersonFacts | None:
        row = self.session.get(PersonFactsRow, person_id)
        if row is None or row.departement_code is None:
            return None
        return PersonFacts(row.departement_code, row.birth_date, row.rsa_recipient, row.executive,
                           row.referent_org_id, row.target_org_id)

    def _row(self, person_id: str) -> PersonFactsRow:
        row = self.session.get(PersonFactsRow, person_id)
        if row is None:
            row = PersonFactsRow(person_id=person_id, rsa_recipient=False, executive=False)
            self.session.add(row)
        return row

    def record_registration(self, data: dict[str, Any]) -> None:
        """From `registration.person.registered.v1` / `updated.v1` data."""
        row = self._row(data["registration_id"])
        row.departement_code = data["territory"]["departement_code"]
        row.birth_date = date.fromisoformat(data["identity"]["birth_date"])
        row.rsa_recipient = bool(data["situation"]["rsa_recipient"])
        row.executive = bool(data["skills"]["executive_experience"])

    def record_orientation(self, data: dict[str, Any]) -> None:
        """From `orientation.decision.made.v1` / `reoriented.v1` data."""
        row = self._row(data["person_id"])
        current = PersonFacts(None, None, False, False).oriented(data["status"], (data.get("referent") or {}).get("org_id"))
        row.referent_org_id, row.target_org_id = current.referent_org_id, current.target_org_id


def on_registration(session: Session, event: Envelope) -> None:
    PersonFactsRepository(session).record_registration(event.data)


def on_decision(session: Session, event: Envelope) -> None:
    PersonFactsRepository(session).record_orientation(event.data)
