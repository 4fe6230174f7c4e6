"""Loads and saves orientations, referential versions, slots and appointments (never commits)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.db import UniqueKeyTaken
from services.orientation.adapters.orm import (
    AppointmentRow, DecisionRow, PersonRow, ReferentialRow, ReminderRow, SlotRow,
)
from services.orientation.domain.appointments import BOOKED, Appointment, Slot
from services.orientation.domain.model import PROPOSED, Decision, Orientation, Person, Referent


class OrientationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- orientations --------------------------------------------------------------------------
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
        first_new = len(orientation.history) - len(orientation.new_decisions)
        for sequence, decision in enumerate(orientation.new_decisions, start=first_new + 1):
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

    # -- referentials --------------------------------------------------------------------------
    def latest_referential(self, territory: str) -> ReferentialRow | None:
        return self.session.scalar(select(ReferentialRow).where(ReferentialRow.territory == territory)
                                   .order_by(ReferentialRow.version.desc()).limit(1))

    def referential_versions(self, territory: str, before: int | None, limit: int) -> list[ReferentialRow]:
        query = select(ReferentialRow).where(ReferentialRow.territory == territory)
        if before is not None:
            query = query.where(ReferentialRow.version < before)
        return list(self.session.scalars(query.order_by(ReferentialRow.version.desc()).limit(limit)))

    def referential_territories(self) -> list[str]:
        return list(self.session.scalars(select(ReferentialRow.territory).distinct()))

    def add_referential(self, row: ReferentialRow) -> None:
        """Raises `UniqueKeyTaken` when a concurrent writer took this version number first."""
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError as exc:
            raise UniqueKeyTaken() from exc

    # -- slots and appointments ----------------------------------------------------------------
    def add_slot(self, slot: Slot) -> None:
        self.session.add(SlotRow(id=slot.slot_id, org_id=slot.org_id, starts_at=slot.starts_at,
                                 duration_minutes=slot.duration_minutes, channel=slot.channel,
                                 location=slot.location, created_at=slot.created_at))
        self.session.flush()

    def slot(self, slot_id: str) -> Slot | None:
        row = self.session.get(SlotRow, slot_id)
        return _slot(row) if row else None

    def slots(self, org_id: str | None, available: bool | None, starts_from: datetime | None,
              after: tuple[datetime, str] | None, limit: int) -> list[Slot]:
        query = select(SlotRow)
        if org_id:
            query = query.where(SlotRow.org_id == org_id)
        if available is not None:
            query = query.where(SlotRow.appointment_id.is_(None) if available else SlotRow.appointment_id.is_not(None))
        if starts_from:
            query = query.where(SlotRow.starts_at >= starts_from)
        if after:
            starts_at, last_id = after
            query = query.where(or_(SlotRow.starts_at > starts_at,
                                    and_(SlotRow.starts_at == starts_at, SlotRow.id > last_id)))
        return [_slot(row) for row in self.session.scalars(query.order_by(SlotRow.starts_at, SlotRow.id).limit(limit))]

    def claim_slot(self, slot_id: str, appointment_id: str) -> bool:
        """Book the slot if nobody has: a conditional update, so of concurrent bookings the database
        lets exactly one through (the others wait for its row lock, then find it taken)."""
        result = self.session.execute(update(SlotRow).where(SlotRow.id == slot_id, SlotRow.appointment_id.is_(None))
                                      .values(appointment_id=appointment_id))
        return result.rowcount == 1

    def add_appointment(self, appointment: Appointment) -> None:
        """Raises `UniqueKeyTaken` if the slot already has an appointment (the unique key backs up
        `claim_slot`)."""
        try:
            with self.session.begin_nested():
                self._add_appointment(appointment)
        except IntegrityError as exc:
            raise UniqueKeyTaken() from exc

    def _add_appointment(self, appointment: Appointment) -> None:
        self.session.add(AppointmentRow(
            id=appointment.appointment_id, slot_id=appointment.slot.slot_id, person_id=appointment.person_id,
            org_id=appointment.slot.org_id, decision_id=appointment.decision_id, status=appointment.status,
            starts_at=appointment.slot.starts_at, delay_days=appointment.delay_days, booked_at=appointment.booked_at,
            booked_by=appointment.booked_by))
        self.session.flush()

    def appointment(self, appointment_id: str, *, for_update: bool = False) -> Appointment | None:
        query = select(AppointmentRow).where(AppointmentRow.id == appointment_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.scalar(query)
        return self._appointment(row) if row else None

    def has_appointment(self, person_id: str) -> bool:
        return bool(self.session.scalar(select(func.count()).where(AppointmentRow.person_id == person_id)))

    def booked_until(self, person_id: str, now: datetime) -> datetime | None:
        """The start of the person's booked appointment still to come, if any."""
        return self.session.scalar(select(func.max(AppointmentRow.starts_at)).where(
            AppointmentRow.person_id == person_id, AppointmentRow.status == BOOKED, AppointmentRow.starts_at > now))

    def record_no_show(self, appointment_id: str, now: datetime) -> bool:
        result = self.session.execute(update(AppointmentRow).where(
            AppointmentRow.id == appointment_id, AppointmentRow.status == BOOKED).values(
            status="no_show", no_show_recorded_at=now))
        return result.rowcount == 1

    def upcoming(self, now: datetime, until: datetime, limit: int = 1000) -> list[Appointment]:
        rows = self.session.scalars(select(AppointmentRow).where(
            AppointmentRow.status == BOOKED, AppointmentRow.starts_at > now, AppointmentRow.starts_at <= until)
            .order_by(AppointmentRow.starts_at).limit(limit))
        return [self._appointment(row) for row in rows]

    def claim_reminder(self, appointment_id: str, kind: str, now: datetime) -> bool:
        """Record a reminder as sent; False if another run (or replica) already did."""
        try:
            with self.session.begin_nested():
                self.session.execute(insert(ReminderRow).values(appointment_id=appointment_id, kind=kind, sent_at=now))
            return True
        except IntegrityError:
            return False

    def _appointment(self, row: AppointmentRow) -> Appointment:
        sent = self.session.scalars(select(ReminderRow.kind).where(ReminderRow.appointment_id == row.id))
        return Appointment(
            appointment_id=row.id, person_id=row.person_id, slot=_slot(self.session.get(SlotRow, row.slot_id)),
            decision_id=row.decision_id, status=row.status, delay_days=row.delay_days, booked_at=row.booked_at,
            booked_by=row.booked_by, no_show_recorded_at=row.no_show_recorded_at, reminders_sent=frozenset(sent))


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


def _slot(row: SlotRow) -> Slot:
    return Slot(slot_id=row.id, org_id=row.org_id, starts_at=row.starts_at, duration_minutes=row.duration_minutes,
                channel=row.channel, location=row.location, available=row.appointment_id is None,
                created_at=row.created_at)
