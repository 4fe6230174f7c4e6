"""Loads and saves orientations: the person's facts, current state and decision history (never commits)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.orientation.adapters.orm import DecisionRow, PersonRow
from services.orientation.domain.model import PROPOSED, Decision, Orientation, Person, Referent


class OrientationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, person_id: str, *, for_update: bool = False) -> Orientation | None:
        query = select(PersonRow).where(PersonRow.person_id == person_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            return None
        decisions = self.session.scalars(
            select(DecisionRow.body).where(DecisionRow.person_id == person_id).order_by(DecisionRow.sequence))
        return Orientation(person=_person(row), history=[_decision(body) for body in decisions], version=row.version,
                           decision_due_at=row.decision_due_at, preferred_org_type=row.preferred_org_type)

    def save(self, orientation: Orientation) -> None:
        """Write the facts and current state, and append the decisions taken since loading."""
        row = self.session.get(PersonRow, orientation.person.person_id)
        if row is None:
            row = PersonRow(person_id=orientation.person.person_id)
            self.session.add(row)
        for name, value in asdict(orientation.person).items():
            setattr(row, name, value)
        current = orientation.current
        row.version = orientation.version
        row.status = current.status if current else None
        row.referent_org_id = current.referent.org_id if current and current.referent else None
        row.decision_due_at = orientation.decision_due_at
        row.preferred_org_type = orientation.preferred_org_type
        self.session.flush()  # the person row first: decisions reference it
        new = [event.decision for event in orientation.events]
        for sequence, decision in enumerate(new, start=len(orientation.history) - len(new) + 1):
            self.session.add(DecisionRow(decision_id=decision.decision_id, person_id=row.person_id,
                                         sequence=sequence, body=decision_json(decision)))
        self.session.flush()

    def overdue_proposals(self, now: datetime, limit: int = 500) -> list[str]:
        return list(self.session.scalars(
            select(PersonRow.person_id).where(PersonRow.status == PROPOSED, PersonRow.decision_due_at <= now)
            .order_by(PersonRow.decision_due_at).limit(limit)))

    def people(self, departement_code: str | None) -> Iterator[Person]:
        query = select(PersonRow).order_by(PersonRow.person_id)
        if departement_code:
            query = query.where(PersonRow.departement_code == departement_code)
        for row in self.session.scalars(query):
            yield _person(row)


def decision_json(decision: Decision) -> dict[str, Any]:
    body = asdict(decision)
    body["decided_at"] = decision.decided_at.isoformat()
    body["rule_ids"] = list(decision.rule_ids)
    return body


def _decision(body: dict[str, Any]) -> Decision:
    referent = Referent(**body["referent"]) if body.get("referent") else None
    return Decision(**{**body, "referent": referent, "rule_ids": tuple(body["rule_ids"]),
                       "decided_at": datetime.fromisoformat(body["decided_at"])})


def _person(row: PersonRow) -> Person:
    return Person(person_id=row.person_id, birth_date=row.birth_date, commune_code=row.commune_code,
                  departement_code=row.departement_code, rsa_recipient=row.rsa_recipient, rqth=row.rqth,
                  executive=row.executive, pre_diagnostic=row.pre_diagnostic, registered_at=row.registered_at)

