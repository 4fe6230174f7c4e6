"""First appointments: slots, the delay from registration (target: support within 15 days), reminders."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from services.core.errors import Conflict, InvalidTransition, RuleBroken
from services.orientation.domain.events import (
    AppointmentBooked, AppointmentCancelled, AppointmentMoved, NoShowRecorded, ReminderDue,
)
from services.orientation.domain.model import DECIDED, Decision, Person

TARGET_DAYS = 15
# Reminders, nearest last: when several are due at once (booked late, job delayed) only the
# nearest is sent; a reminder is never sent twice.
REMINDERS = (("48h", timedelta(hours=48)), ("2h", timedelta(hours=2)))
BOOKED, NO_SHOW, CANCELLED = "booked", "no_show", "cancelled"
NOT_BOOKED = "This appointment is not booked any more (no-show already recorded, or cancelled)."
# The person moves or cancels their appointment themselves until this long before it starts; later,
# the organisation has prepared it and may not fill the slot again: they call it instead.
CHANGE_NOTICE = timedelta(hours=24)
# Days are counted on the French calendar: 23:30 UTC on the 1st is already the 2nd in Paris.
LOCAL = ZoneInfo("Europe/Paris")


def delay_days(registered_at: datetime, starts_at: datetime) -> int:
    return (starts_at.astimezone(LOCAL).date() - registered_at.astimezone(LOCAL).date()).days


def within_target(days: int) -> bool:
    return days <= TARGET_DAYS


def reminder_due(starts_at: datetime, now: datetime, sent: frozenset[str]) -> str | None:
    """The reminder to send now, if any."""
    if now >= starts_at:
        return None
    due = [kind for kind, lead in REMINDERS if now >= starts_at - lead]
    if not due or due[-1] in sent:
        return None
    return due[-1]


def reminder_due_at(starts_at: datetime, kind: str) -> datetime:
    return starts_at - dict(REMINDERS)[kind]


def reminder_window(now: datetime) -> datetime:
    """Appointments starting before this moment may have a reminder due."""
    return now + max(lead for _, lead in REMINDERS)


def already_booked(starts_at: datetime) -> str:
    """One first appointment at a time: another is booked only once this one is missed."""
    return (f"The person already has a first appointment on {starts_at.astimezone(LOCAL):%d/%m/%Y at %H:%M} "
            "(Paris time); record a no-show before booking another.")


def booking_refusal(slot_org_id: str, slot_starts_at: datetime, referent_org_id: str, now: datetime) -> str | None:
    """Why this slot may not be booked for a person with this referent, if it may not."""
    if slot_org_id != referent_org_id:
        return "This slot belongs to another organisation than the person's referent."
    if slot_starts_at <= now:
        return "This slot has already started."
    return None


def change_deadline(starts_at: datetime) -> datetime:
    """Until when the person may move or cancel an appointment starting then."""
    return starts_at - CHANGE_NOTICE


class TooLateToChange(Conflict):
    """The appointment starts in less than 24 hours: the person calls their referent instead."""

    def __init__(self, deadline: datetime) -> None:
        super().__init__(f"An appointment can be moved or cancelled until 24 hours before it starts, here until "
                         f"{deadline.astimezone(LOCAL):%d/%m/%Y at %H:%M} (Paris time); past that, call your referent "
                         "organisation.", deadline=deadline.isoformat())


class SlotTaken(Conflict):
    """Another booking took the slot first."""

    slug = "slot-taken"

    def __init__(self) -> None:
        super().__init__("This slot is already booked; choose another one.")


@dataclass(frozen=True)
class Slot:
    slot_id: str
    org_id: str
    starts_at: datetime
    duration_minutes: int
    channel: str
    location: str | None
    available: bool
    created_at: datetime

    @classmethod
    def publish(cls, slot_id: str, org_id: str, starts_at: datetime, duration_minutes: int, channel: str,
                location: str | None, now: datetime) -> Slot:
        if starts_at <= now:
            raise RuleBroken("A slot must start in the future.", field="starts_at")
        return cls(slot_id, org_id, starts_at, duration_minutes, channel, location, True, now)


@dataclass(frozen=True)
class Appointment:
    appointment_id: str
    person_id: str
    slot: Slot
    decision_id: str
    status: str
    delay_days: int
    booked_at: datetime
    booked_by: str
    no_show_recorded_at: datetime | None = None
    reminders_sent: frozenset[str] = frozenset()
    cancelled_at: datetime | None = None
    events: list = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def book(cls, appointment_id: str, person: Person, decision: Decision | None, slot: Slot | None,
             booked_until: datetime | None, by_org: str, now: datetime) -> Appointment:
        """The first appointment of an oriented person, in a slot of their referent still to come;
        `booked_until` is the start of the person's appointment still to come, if any."""
        if decision is None or decision.status != DECIDED or decision.referent is None:
            raise InvalidTransition("The person is not oriented yet: an appointment follows a decided orientation.")
        if slot is None:
            raise RuleBroken("No slot with this id.", field="slot_id")
        if booked_until:
            raise InvalidTransition(already_booked(booked_until))
        refusal = booking_refusal(slot.org_id, slot.starts_at, decision.referent.org_id, now)
        if refusal:
            raise RuleBroken(refusal, field="slot_id")
        taken = replace(slot, available=False)
        appointment = cls(appointment_id, person.person_id, taken, decision.decision_id, BOOKED,
                          delay_days(person.registered_at, slot.starts_at), now, by_org)
        appointment.events.append(AppointmentBooked(appointment, person))
        return appointment

    def record_no_show(self, person: Person, by_org: str, now: datetime) -> Appointment:
        if now < self.slot.starts_at:
            raise InvalidTransition("An appointment that has not started cannot be missed yet.")
        if self.status != BOOKED:
            raise InvalidTransition(NOT_BOOKED)
        missed = replace(self, status=NO_SHOW, no_show_recorded_at=now, events=[])
        missed.events.append(NoShowRecorded(missed, person, by_org))
        return missed

    def cancel(self, person: Person, by: str, now: datetime) -> Appointment:
        """Cancelled by the person, until 24 hours before it starts; the slot is free again."""
        self._check_changeable(now)
        cancelled = replace(self, status=CANCELLED, cancelled_at=now, events=[])
        cancelled.events.append(AppointmentCancelled(cancelled, person, by))
        return cancelled

    def move(self, person: Person, slot: Slot | None, referent_org_id: str, by: str, now: datetime) -> Appointment:
        """Moved by the person to another free slot of their referent, until 24 hours before it starts.
        The reminders already sent were for the old time: the new time gets its own."""
        self._check_changeable(now)
        if slot is None:
            raise RuleBroken("No slot with this id.", field="slot_id")
        if slot.slot_id == self.slot.slot_id:
            raise RuleBroken("The appointment is already in this slot.", field="slot_id")
        refusal = booking_refusal(slot.org_id, slot.starts_at, referent_org_id, now)
        if refusal:
            raise RuleBroken(refusal, field="slot_id")
        if not slot.available:
            raise SlotTaken()
        moved = replace(self, slot=replace(slot, available=False), delay_days=delay_days(person.registered_at,
                        slot.starts_at), reminders_sent=frozenset(), events=[])
        moved.events.append(AppointmentMoved(moved, person, self.slot, by, now))
        return moved

    def _check_changeable(self, now: datetime) -> None:
        if self.status != BOOKED:
            raise InvalidTransition(NOT_BOOKED)
        if now >= change_deadline(self.slot.starts_at):
            raise TooLateToChange(change_deadline(self.slot.starts_at))

    def remind(self, now: datetime) -> str | None:
        """The reminder due now, if any, raised as an event (sent once the caller claims it)."""
        kind = reminder_due(self.slot.starts_at, now, self.reminders_sent)
        if kind is not None:
            self.events.append(ReminderDue(self, kind, reminder_due_at(self.slot.starts_at, kind)))
        return kind
