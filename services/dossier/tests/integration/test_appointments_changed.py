"""A first appointment the person moves, then cancels, from their own door: the dossier shows it at its
new time, then cancelled, and a booking read again does not revive it."""
from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest

from services.dossier.tests.builders import (
    APPOINTMENTS, NOW, REGISTRATIONS, appointment, registration, send, wait_for_sections,
)

pytestmark = pytest.mark.integration


def test_a_moved_then_cancelled_appointment_shows_so_in_the_dossier(service, tokens, broker, database_url):
    person_id, appointment_id = str(uuid.uuid4()), str(uuid.uuid4())
    booked = appointment(person_id, appointment_id, at=NOW - timedelta(days=3))
    moved = appointment(person_id, appointment_id, "moved", at=NOW - timedelta(days=2))
    cancelled = appointment(person_id, appointment_id, "cancelled", at=NOW - timedelta(days=1))
    # As orientation tells it: the appointment cancelled where the move put it.
    cancelled = dataclasses.replace(cancelled, data={
        **cancelled.data, "slot_id": moved.data["slot_id"], "starts_at": moved.data["starts_at"]})
    send(broker, REGISTRATIONS, registration(person_id, at=NOW - timedelta(days=5)))
    send(broker, APPOINTMENTS, booked, moved, cancelled, booked)  # the booking redelivered last

    wait_for_sections(database_url, person_id, lambda versions: versions.get("appointments") == 3)
    mine = service.get("/v1/me/dossier", headers=tokens.person_headers(person_id))
    assert mine.status_code == 200, mine.text
    [item] = mine.json()["appointments"]["items"]
    assert (item["status"], item["slot_id"], item["starts_at"]) == (
        "cancelled", moved.data["slot_id"], moved.data["starts_at"])
