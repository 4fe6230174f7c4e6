"""An appointment reminder as orientation.appointment.reminder_due.v1 tells it: what the messages say."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Reminder:
    appointment_id: str
    person_id: str
    org_id: str
    starts_at: datetime
    duration_minutes: int
    mode: str  # on_site, phone, video: the event's `channel`, renamed so as not to read as e-mail/SMS
    location: str | None
    kind: str  # 48h, 2h

    @classmethod
    def from_data(cls, data: dict) -> "Reminder":
        return cls(data["appointment_id"], data["person_id"], data["org_id"], parse_time(data["starts_at"]),
                   data["duration_minutes"], data["channel"], data.get("location"), data["reminder"])


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
