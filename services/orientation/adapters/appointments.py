"""Loads and saves slots, appointments and the reminders sent (never commits)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.db import UniqueKeyTaken
from services.orientation.adapters.orm import AppointmentRow, ReminderRow, SlotRow
from services.orientation.domain.appointments import BOOKED, Appointment, Slot


class AppointmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- slots ---------------------------------------------------------------------------------
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

    # -- appointments --------------------------------------------------------------------------
    def add(self, appointment: Appointment) -> None:
        """Raises `UniqueKeyTaken` if the slot already has an appointment (the unique key backs up
        `claim_slot`)."""
        try:
            with self.session.begin_nested():
                self.session.add(AppointmentRow(
                    id=appointment.appointment_id, slot_id=appointment.slot.slot_id, person_id=appointment.person_id,
                    org_id=appointment.slot.org_id, decision_id=appointment.decision_id, status=appointment.status,
                    starts_at=appointment.slot.starts_at, delay_days=appointment.delay_days,
                    booked_at=appointment.booked_at, booked_by=appointment.booked_by))
                self.session.flush()
        except IntegrityError as exc:
            raise UniqueKeyTaken() from exc

    def get(self, appointment_id: str, *, for_update: bool = False) -> Appointment | None:
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

    def record_no_show(self, missed: Appointment) -> bool:
        """False if the appointment was no longer booked (a concurrent recording came first)."""
        result = self.session.execute(update(AppointmentRow).where(
            AppointmentRow.id == missed.appointment_id, AppointmentRow.status == BOOKED).values(
            status=missed.status, no_show_recorded_at=missed.no_show_recorded_at))
        return result.rowcount == 1

    def upcoming(self, now: datetime, until: datetime, limit: int = 1000) -> list[Appointment]:
        rows = self.session.scalars(select(AppointmentRow).where(
            AppointmentRow.status == BOOKED, AppointmentRow.starts_at > now, AppointmentRow.starts_at <= until)
            .order_by(AppointmentRow.starts_at).limit(limit))
        return [self._appointment(row) for row in rows]

    def of_person(self, person_id: str) -> list[Appointment]:
        rows = self.session.scalars(select(AppointmentRow).where(AppointmentRow.person_id == person_id)
                                    .order_by(AppointmentRow.starts_at.desc(), AppointmentRow.id))
        return [self._appointment(row) for row in rows]

    def cancel(self, cancelled: Appointment) -> bool:
        result = self.session.execute(update(AppointmentRow).where(
            AppointmentRow.id == cancelled.appointment_id, AppointmentRow.status == BOOKED).values(
            status=cancelled.status, cancelled_at=cancelled.cancelled_at))
        if result.rowcount != 1:
            return False
        self._free(cancelled.slot.slot_id, cancelled.appointment_id)
        return True

    def move(self, moved: Appointment, previous_slot_id: str) -> bool:
        if not self.claim_slot(moved.slot.slot_id, moved.appointment_id):
            return False
        self._free(previous_slot_id, moved.appointment_id)
        self.session.execute(update(AppointmentRow).where(AppointmentRow.id == moved.appointment_id).values(
            slot_id=moved.slot.slot_id, org_id=moved.slot.org_id, starts_at=moved.slot.starts_at,
            delay_days=moved.delay_days))
        self.session.execute(delete(ReminderRow).where(ReminderRow.appointment_id == moved.appointment_id))
        return True

    def _free(self, slot_id: str, appointment_id: str) -> None:
        self.session.execute(update(SlotRow).where(SlotRow.id == slot_id, SlotRow.appointment_id == appointment_id)
                             .values(appointment_id=None))

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
            booked_by=row.booked_by, no_show_recorded_at=row.no_show_recorded_at, reminders_sent=frozenset(sent),
            cancelled_at=row.cancelled_at)


def _slot(row: SlotRow) -> Slot:
    return Slot(slot_id=row.id, org_id=row.org_id, starts_at=row.starts_at, duration_minutes=row.duration_minutes,
                channel=row.channel, location=row.location, available=row.appointment_id is None,
                created_at=row.created_at)
