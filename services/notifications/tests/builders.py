"""Other services' events as their producers build them, and the records' fakes for unit tests."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def reminder_data(person_id: str | None = None, *, starts_at: datetime, kind: str = "48h", mode: str = "on_site",
                  location: str | None = "Mission locale Nantes Métropole, 4 rue Bisson, 44100 Nantes",
                  org_id: str = "ml-nantes-metropole") -> dict:
    """orientation.appointment.reminder_due.v1's data (services/orientation/service/publishing.py)."""
    due = starts_at - (timedelta(hours=48) if kind == "48h" else timedelta(hours=2))
    return {"appointment_id": str(uuid.uuid4()), "person_id": person_id or str(uuid.uuid4()),
            "slot_id": str(uuid.uuid4()), "org_id": org_id, "starts_at": iso(starts_at), "duration_minutes": 45,
            "channel": mode, "location": location, "delay_days": 9, "within_target": True, "reminder": kind,
            "due_at": iso(due)}


def contact_data(person_id: str, *, email: str | None = "camille.martin@example.org",
                 phone: str | None = "+33612345678", opted_out: tuple[str, ...] = (),
                 preferred: str = "email") -> dict:
    """registration.person.contact_changed.v1's data."""
    return {"person_id": person_id, "email": email, "phone": phone, "preferred_channel": preferred,
            "opted_out_channels": list(opted_out)}


def cancelled_data(reminder: dict, *, at: datetime) -> dict:
    """orientation.appointment.cancelled.v1's data, for the appointment a reminder announced."""
    kept = {k: v for k, v in reminder.items() if k not in ("reminder", "due_at")}
    return {**kept, "cancelled_at": iso(at), "cancelled_by": f"person:{reminder['person_id']}"}


def moved_data(reminder: dict, *, to: datetime, at: datetime) -> dict:
    """orientation.appointment.moved.v1's data: the appointment in its new slot."""
    kept = {k: v for k, v in reminder.items() if k not in ("reminder", "due_at")}
    return {**kept, "slot_id": str(uuid.uuid4()), "starts_at": iso(to), "previous_slot_id": reminder["slot_id"],
            "previous_starts_at": reminder["starts_at"], "moved_at": iso(at), "moved_by": f"person:{reminder['person_id']}"}
