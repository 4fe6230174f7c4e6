"""Events of other services → the dossier's event-built sections, as pure functions.

Each function is an upsert keyed by the event's own ids and ordered by the event's own time, so
applying the same events again, or re-applying a whole topic from offset 0 into a fresh database,
leaves the same content. They pick the fields they know: a producer adding a field changes nothing
here, and nothing unexpected reaches partners. Each returns whether the section changed.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from services.dossier.domain.sections import Section

DECISION_FIELDS = ("decision_id", "status", "decided_by", "pathway", "referent", "intensity", "departement_code",
                   "rsa_recipient", "referential", "rule", "rule_ids", "decided_at", "registered_at", "decision_due_at",
                   "recorded_by", "previous_decision_id", "reason")
APPOINTMENT_FIELDS = ("appointment_id", "slot_id", "org_id", "starts_at", "duration_minutes", "channel", "location",
                      "delay_days", "within_target")
FAILED_REMINDER_FIELDS = ("message_id", "appointment_id", "org_id", "starts_at", "reminder", "channel", "attempts",
                          "error", "failed_at")
# An appointment only moves forward: a no-show or a cancellation is not undone by a late-read booking.
# A move keeps it booked, at its new slot and time (the person's own door: orientation's moved event).
APPOINTMENT_STATUS_RANK = {"booked": 0, "no_show": 1, "cancelled": 1}


def apply_registration(section: Section, data: dict[str, Any], event_time: str, event_id: str) -> bool:
    """Latest registration snapshot wins, by event time (then id, so ties resolve the same way)."""
    stamp = [event_time, event_id]
    if section.meta.get("as_of") and section.meta["as_of"] >= stamp:
        return False
    identity, territory, situation = data["identity"], data["territory"], data.get("situation") or {}
    section.content = {
        "last_name": identity["last_name"], "usage_name": identity.get("usage_name"),
        "first_names": identity["first_names"], "birth_date": identity["birth_date"],
        "commune_code": territory["commune_code"], "departement_code": territory["departement_code"],
        "rsa_recipient": bool(situation.get("rsa_recipient")), "rqth": bool(situation.get("rqth")),
        "executive_experience": bool((data.get("skills") or {}).get("executive_experience")),
        "barriers": dict((data.get("pre_diagnostic") or {}).get("barriers") or {}),
        "registration_status": data.get("status"), "registered_at": data.get("registered_at"),
    }
    section.meta = {"as_of": stamp}
    return True


def apply_decision(section: Section, data: dict[str, Any], kind: str) -> bool:
    """Orientation history keyed by (decision, kind); the current one is the latest decided."""
    entry = {"kind": kind, **{name: data[name] for name in DECISION_FIELDS if name in data}}
    history = section.content.get("history", [])
    if entry in history:
        return False
    others = [e for e in history if (e["decision_id"], e["kind"]) != (entry["decision_id"], kind)]
    history = sorted([*others, entry], key=lambda e: (_moment(e["decided_at"]), e["decision_id"], e["kind"]))
    section.content = {"current": history[-1], "history": history}
    return True


def apply_appointment(section: Section, data: dict[str, Any], status: str) -> bool:
    items = {item["appointment_id"]: item for item in section.content.get("items", [])}
    known = items.get(data["appointment_id"], {})
    if known and APPOINTMENT_STATUS_RANK[known["status"]] > APPOINTMENT_STATUS_RANK[status]:
        return False
    updated = {**known, **{name: data[name] for name in APPOINTMENT_FIELDS if name in data}, "status": status}
    if updated == known:
        return False
    items[updated["appointment_id"]] = updated
    section.content = {"items": sorted(items.values(), key=lambda i: (i.get("starts_at") or "", i["appointment_id"]))}
    return True


def apply_failed_reminder(section: Section, data: dict[str, Any]) -> bool:
    """A reminder given up on a channel, once per send record (message id), in the order they failed."""
    items = {item["message_id"]: item for item in section.content.get("items", [])}
    if data["message_id"] in items:
        return False
    items[data["message_id"]] = {name: data[name] for name in FAILED_REMINDER_FIELDS}
    section.content = {"items": sorted(items.values(), key=lambda i: (_moment(i["failed_at"]), i["message_id"]))}
    return True


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)
