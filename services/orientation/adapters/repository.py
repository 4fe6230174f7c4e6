"""Loads and saves orientations: the person's facts, current state and decision history (never commits).

Rows are read and written as the tables' rows, not as ORM objects: the orientation consumer stores a run
of people at once, and the ORM's identity map, flushes and per-object bookkeeping were most of its time
(docs/performance.md, "Seventh pass", "Orientation decisions").
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from services.core.db import among
from services.orientation.adapters.orm import DecisionRow, PersonRow
from services.orientation.domain.model import PROPOSED, Decision, Orientation, Person, Referent

PERSONS = PersonRow.__table__
DECISIONS = DecisionRow.__table__
PERSON_FIELDS = tuple(f.name for f in fields(Person))
DECISION_FIELDS = tuple(f.name for f in fields(Decision))
UPDATE_PERSON = update(PERSONS).where(PERSONS.c.person_id == bindparam("stored_person_id"))


class OrientationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        # The people whose row this transaction read or wrote: saving one of them updates its row,
        # saving anyone else inserts one.
        self._stored: set[str] = set()

    def get(self, person_id: str, *, for_update: bool = False) -> Orientation | None:
        return self.get_many([person_id], for_update=for_update).get(person_id)

    def get_many(self, person_ids: Iterable[str], *, for_update: bool = False) -> dict[str, Orientation]:
        """The orientations of those of these people who have one, by person; locked in the order of
        their ids when `for_update`, so two writers over overlapping people never deadlock."""
        wanted = set(person_ids)
        query = select(PERSONS).where(among(self.session, PERSONS.c.person_id, wanted)).order_by(PERSONS.c.person_id)
        if for_update:
            query = query.with_for_update()
        rows = self.session.execute(query).all()
        if not rows:
            return {}
        histories: dict[str, list[Decision]] = {row.person_id: [] for row in rows}
        for person_id, body in self.session.execute(
                select(DECISIONS.c.person_id, DECISIONS.c.body).where(among(self.session, DECISIONS.c.person_id, wanted))
                .order_by(DECISIONS.c.person_id, DECISIONS.c.sequence)):
            histories[person_id].append(_decision(body))
        self._stored.update(histories)
        return {row.person_id: Orientation(person=_person(row), history=histories[row.person_id], version=row.version,
                                           decision_due_at=row.decision_due_at,
                                           preferred_org_type=row.preferred_org_type) for row in rows}

    def save(self, orientation: Orientation) -> None:
        self.save_all([orientation])

    def save_all(self, orientations: Iterable[Orientation]) -> None:
        """Write each one's facts and current state, and append the decisions taken since loading:
        one statement a kind of row, whatever the number of people."""
        inserted, updated, decisions = [], [], []
        for orientation in orientations:
            row = _state(orientation)
            if row["person_id"] in self._stored:
                updated.append({**row, "stored_person_id": row["person_id"]})
            else:
                inserted.append(row)
            new = [event.decision for event in orientation.events]
            first = len(orientation.history) - len(new) + 1
            decisions.extend({"decision_id": decision.decision_id, "person_id": row["person_id"],
                              "sequence": sequence, "body": decision_json(decision)}
                             for sequence, decision in enumerate(new, start=first))
        if inserted:
            self.session.execute(insert(PERSONS), inserted)  # before the decisions, which reference them
            self._stored.update(row["person_id"] for row in inserted)
        if updated:
            self.session.execute(UPDATE_PERSON, updated)
        if decisions:
            self.session.execute(insert(DECISIONS), decisions)

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


def _state(orientation: Orientation) -> dict[str, Any]:
    """The person's row: the facts as told (shared, not copied: nothing changes them), the current state."""
    current = orientation.current
    return {**{name: getattr(orientation.person, name) for name in PERSON_FIELDS},
            "version": orientation.version, "status": current.status if current else None,
            "referent_org_id": current.referent.org_id if current and current.referent else None,
            "decision_due_at": orientation.decision_due_at, "preferred_org_type": orientation.preferred_org_type}


def decision_json(decision: Decision) -> dict[str, Any]:
    body = {name: getattr(decision, name) for name in DECISION_FIELDS}
    body["referent"] = asdict(decision.referent) if decision.referent else None
    body["decided_at"] = decision.decided_at.isoformat()
    body["rule_ids"] = list(decision.rule_ids)
    return body


def _decision(body: dict[str, Any]) -> Decision:
    referent = Referent(**body["referent"]) if body.get("referent") else None
    return Decision(**{**body, "referent": referent, "rule_ids": tuple(body["rule_ids"]),
                       "decided_at": datetime.fromisoformat(body["decided_at"])})


def _person(row) -> Person:
    return Person(person_id=row.person_id, birth_date=row.birth_date, commune_code=row.commune_code,
                  departement_code=row.departement_code, rsa_recipient=row.rsa_recipient, rqth=row.rqth,
                  executive=row.executive, pre_diagnostic=row.pre_diagnostic, registered_at=row.registered_at)
