"""Domain events raised by the aggregates; the service layer turns them into outbox messages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.orientation.domain.appointments import Appointment
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
