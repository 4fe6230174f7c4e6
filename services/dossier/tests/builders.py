"""Events other services publish, built here as their producers would (CloudEvents envelopes)."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, text

from services.core.events import Envelope
from services.orientation import published as orientation
from services.registration import published as registration_events

# The dossier reads registrations with their health data, on the restricted topic: a registration and
# its corrections travel there as one event type.
REGISTRATIONS, DECISIONS, APPOINTMENTS = (registration_events.PERSONS_HEALTH.address, orientation.DECISIONS.address,
                                          orientation.APPOINTMENTS.address)
DECISION_TYPES = {"made": orientation.DECISION_MADE, "reoriented": orientation.DECISION_REORIENTED}
APPOINTMENT_TYPES = {"booked": orientation.APPOINTMENT_BOOKED, "no_show": orientation.APPOINTMENT_NO_SHOW,
                     "moved": orientation.APPOINTMENT_MOVED, "cancelled": orientation.APPOINTMENT_CANCELLED}
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def registration(person_id: str, *, rsa: bool = True, health: bool = True, departement: str = "44",
                 at: datetime = NOW - timedelta(days=3)) -> Envelope:
    return Envelope(type=registration_events.PERSON_HEALTH.name, source="registration", subject=person_id, time=at, data={
        "registration_id": person_id, "status": "registered", "channel": "counter", "registered_at": at.isoformat(),
        "identity": {"last_name": "Martin", "usage_name": None, "first_names": ["Camille"], "birth_date": "2001-03-14",
                     "sex": "F"},
        "territory": {"commune_code": f"{departement}109", "departement_code": departement, "region_code": "52"},
        "situation": {"professional_situation": "unemployed", "rsa_recipient": rsa, "rqth": False, "under_26": True},
        "skills": {"executive_experience": False},
        "pre_diagnostic": {"work_experience": "some", "project_maturity": "defined", "availability": "immediate",
                           "support_needed": "intensive", "barriers": {"health": health, "mobility": True}},
        "possible_duplicate_of": None,
    })


def decision(person_id: str, org_id: str = "ml-nantes-metropole", *, org_type: str = "mission_locale",
             status: str = "decided", kind: str = "made", at: datetime = NOW - timedelta(days=2), **extra) -> Envelope:
    """As orientation publishes it (schemas/orientation.decision.*.v1.json); `extra` e.g. the reason."""
    return Envelope(type=DECISION_TYPES[kind].name, source="orientation", subject=person_id, time=at, data={
        "person_id": person_id, "decision_id": str(uuid.uuid4()), "status": status,
        "decided_by": "rules" if kind == "made" else "reorientation", "pathway": "socio_professional",
        "referent": {"org_type": org_type, "org_id": org_id}, "intensity": "intensive", "departement_code": "44",
        "rsa_recipient": True, "referential": {"territory": "44", "version": 1, "national_version": 1},
        "rule": "Young RSA recipient: mission locale", "rule_ids": ["young-rsa"], "decided_at": at.isoformat(),
        "registered_at": (at - timedelta(days=1)).isoformat(),
        "decision_due_at": (at + timedelta(days=30)).isoformat() if status == "proposed" else None,
        "recorded_by": None, "previous_decision_id": None, **extra,
    })


def appointment(person_id: str, appointment_id: str, kind: str = "booked", at: datetime = NOW - timedelta(days=1)) -> Envelope:
    common = {"appointment_id": appointment_id, "person_id": person_id,
              "slot_id": str(uuid.uuid5(uuid.NAMESPACE_URL, appointment_id)), "org_id": "ml-nantes-metropole",
              "starts_at": (at + timedelta(days=2)).isoformat(), "duration_minutes": 45, "channel": "on_site",
              "location": None, "delay_days": 3, "within_target": True, "departement_code": "44"}
    specific = {
        "booked": {"decision_id": str(uuid.uuid4()), "registered_at": (at - timedelta(days=1)).isoformat(),
                   "booked_at": at.isoformat(), "booked_by": "ml-nantes-metropole"},
        "no_show": {"recorded_at": at.isoformat(), "recorded_by": "ml-nantes-metropole", "rsa_recipient": True},
        # The person's own door: a move to another slot, a cancellation.
        "moved": {"slot_id": str(uuid.uuid5(uuid.NAMESPACE_URL, appointment_id + "/moved")),
                  "previous_slot_id": common["slot_id"], "previous_starts_at": common["starts_at"],
                  "starts_at": (at + timedelta(days=4)).isoformat(), "moved_at": at.isoformat(),
                  "moved_by": f"person:{person_id}"},
        "cancelled": {"cancelled_at": at.isoformat(), "cancelled_by": f"person:{person_id}"},
    }[kind]
    if kind in ("moved", "cancelled"):
        del common["departement_code"]  # told at booking only
    return Envelope(type=APPOINTMENT_TYPES[kind].name, source="orientation", subject=person_id, time=at,
                    data={**common, **specific})


def send(broker, topic: str, *envelopes: Envelope) -> None:
    for envelope in envelopes:
        broker.produce(topic, envelope.subject, envelope.to_json())


def wait_for_sections(database_url: str, person_id: str, until, timeout: float = 300.0) -> dict[str, int]:
    """Section versions of the person, read in the database (reading through the API would land in
    the access log), once `until(versions)` holds. A new app replays every topic from offset 0,
    other tests' events included, before it reaches ours: hence the generous timeout."""
    engine = create_engine(database_url)
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                versions = dict(conn.execute(text("SELECT section, version FROM dossier_sections WHERE person_id = :p"),
                                             {"p": person_id}).all())
            if until(versions):
                return versions
            if time.monotonic() > deadline:
                raise AssertionError(f"dossier {person_id} never reached the expected state: {versions}")
            time.sleep(0.3)
    finally:
        engine.dispose()
