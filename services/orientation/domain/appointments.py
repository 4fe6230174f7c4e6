"""First appointments: slots, the delay from registration (target: support within 15 days), reminders."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

TARGET_DAYS = 15
# Reminders, nearest last: when several are due at once (booked late, job delayed) only the
# nearest is sent; a reminder is never sent twice.
REMINDERS = (("48h", timedelta(hours=48)), ("2h", timedelta(hours=2)))
BOOKED, NO_SHOW = "booked", "no_show"
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
