"""Domain events raised by the aggregates; the service layer turns them into outbox messages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.orientation.domain.appointments import Appointment, Slot
    from services.orientation.domain.model import Decision, Person


@dataclass(frozen=True)
class DecisionRecorded:
    """A decision appended to a person's orientation: made (by rules, a département, an interview)
    or a re-orientation, as the decision's `kind` says."""

    decision: Decision


@dataclass(frozen=True)
class AppointmentBooked:
    appointment: Appointment
    person: Person


@dataclass(frozen=True)
class NoShowRecorded:
    appointment: Appointment
    person: Person
    recorded_by: str


@dataclass(frozen=True)
class ReminderDue:
    appointment: Appointment
    reminder: str  # "48h" or "2h"
    due_at: datetime


@dataclass(frozen=True)
class AppointmentCancelled:
    """The person cancelled their appointment: the slot is free again, no reminder is due any more."""

    appointment: Appointment
    person: Person
    cancelled_by: str


@dataclass(frozen=True)
class AppointmentMoved:
    """The person moved their appointment to another slot of their referent: the previous slot is free
    again, and the reminders are due anew for the new time."""

    appointment: Appointment
    person: Person
    previous_slot: Slot
    moved_by: str
    moved_at: datetime
