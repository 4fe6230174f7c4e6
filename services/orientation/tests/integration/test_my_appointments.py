"""The person's own door on SQLite and PostgreSQL with real Kafka: my orientation, my referent's free
slots, booking (one slot, one person), moving and cancelling until 24 hours before, nobody else's."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from services.orientation.published import APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_MOVED
from services.orientation.tests.builders import registered_event
from services.orientation.tests.integration.conftest import APPOINTMENTS, now

pytestmark = pytest.mark.integration


def oriented(orientation) -> str:
    person_id = orientation.register(registered_event())
    assert orientation.decision(person_id).json()["current"]["referent"]["org_id"] == "ft-agence-44-nantes-est"
    return person_id


def agency_slot(orientation, hours_ahead: float) -> str:
    slot = orientation.post("/v1/orientation/slots", {
        "starts_at": (now() + timedelta(hours=hours_ahead)).isoformat(), "duration_minutes": 45,
        "channel": "on_site", "location": "3 rue Jules Verne, Nantes"})
    assert slot.status_code == 201, slot.text
    return slot.json()["slot_id"]


def me(orientation, person_id: str, method: str, path: str, **kwargs):
    headers = orientation.tokens.person_headers(person_id, **kwargs.pop("headers", {}))
    return orientation.service.request(method, f"/v1/me{path}", headers=headers, **kwargs)


def test_a_person_books_moves_and_cancels_their_first_appointment(orientation, broker):
    since = broker.end_offsets(APPOINTMENTS)
    camille = oriented(orientation)
    mine = me(orientation, camille, "GET", "/orientation")
    assert mine.status_code == 200, mine.text
    assert mine.json()["referent_organisation"] == {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail",
                                                    "name": "France Travail — agence Nantes Est"}
    assert mine.json()["history"] and mine.json()["person_id"] == camille

    first, later = agency_slot(orientation, 72), agency_slot(orientation, 96)
    offered = me(orientation, camille, "GET", "/appointments/slots", params={"limit": 100}).json()["items"]
    assert {first, later} <= {slot["slot_id"] for slot in offered}
    assert {slot["org_id"] for slot in offered} == {"ft-agence-44-nantes-est"}

    key = {"Idempotency-Key": "my-first-appointment"}
    booked = me(orientation, camille, "POST", "/appointments", json={"slot_id": first}, headers=key)
    assert booked.status_code == 201, booked.text
    appointment_id = booked.json()["appointment_id"]
    assert booked.headers["Location"] == f"/v1/me/appointments/{appointment_id}"
    replayed = me(orientation, camille, "POST", "/appointments", json={"slot_id": first}, headers=key)
    assert replayed.status_code == 201 and replayed.json()["appointment_id"] == appointment_id
    assert first not in {s["slot_id"] for s in me(orientation, camille, "GET", "/appointments/slots",
                                                  params={"limit": 100}).json()["items"]}

    moved = me(orientation, camille, "PATCH", f"/appointments/{appointment_id}", json={"slot_id": later})
    assert moved.status_code == 200, moved.text
    assert moved.json()["slot"]["slot_id"] == later and moved.json()["delay_days"] == 4
    cancelled = me(orientation, camille, "DELETE", f"/appointments/{appointment_id}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    listed = me(orientation, camille, "GET", "/appointments").json()["items"]
    assert [(a["appointment_id"], a["status"]) for a in listed] == [(appointment_id, "cancelled")]
    free = {s["slot_id"] for s in me(orientation, camille, "GET", "/appointments/slots",
                                     params={"limit": 100}).json()["items"]}
    assert {first, later} <= free  # both slots free again

    told = orientation.events(APPOINTMENTS, since, camille, 3)
    assert [e["type"] for e in told] == [APPOINTMENT_BOOKED.name, APPOINTMENT_MOVED.name, APPOINTMENT_CANCELLED.name]
    assert told[1]["data"]["previous_slot_id"] == first and told[2]["data"]["cancelled_by"] == f"person:{camille}"
    # A cancelled appointment's slot takes a new booking (the database's uniqueness counts held slots only).
    again = me(orientation, camille, "POST", "/appointments", json={"slot_id": later})
    assert again.status_code == 201, again.text


def test_no_change_within_24_hours_and_nobody_elses_appointment(orientation):
    camille, other = oriented(orientation), oriented(orientation)
    soon = me(orientation, camille, "POST", "/appointments", json={"slot_id": agency_slot(orientation, 20)})
    appointment_id = soon.json()["appointment_id"]
    late = me(orientation, camille, "DELETE", f"/appointments/{appointment_id}")
    assert late.status_code == 409 and late.headers["content-type"] == "application/problem+json"
    assert "24 hours" in late.json()["detail"] and late.json()["deadline"]
    assert me(orientation, camille, "PATCH", f"/appointments/{appointment_id}",
              json={"slot_id": agency_slot(orientation, 90)}).status_code == 409

    for method, body in (("GET", None), ("DELETE", None), ("PATCH", {"slot_id": agency_slot(orientation, 91)})):
        assert me(orientation, other, method, f"/appointments/{appointment_id}", json=body).status_code == 404
    assert me(orientation, other, "GET", "/appointments").json()["items"] == []
    organisation = orientation.service.get("/v1/me/appointments", headers=orientation.tokens.headers("ft-agence-nantes"))
    assert organisation.status_code == 403
    stranger = "00000000-0000-4000-8000-000000000001"
    assert me(orientation, stranger, "GET", "/orientation").status_code == 404
    assert me(orientation, stranger, "GET", "/appointments/slots").status_code == 404


def test_one_slot_booked_by_people_in_parallel_is_booked_once(orientation):
    people = [oriented(orientation) for _ in range(6)]
    slot_id = agency_slot(orientation, 72)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda person: me(orientation, person, "POST", "/appointments",
                                                  json={"slot_id": slot_id}), people))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 5
    assert all(a.json()["type"].endswith("/slot-taken") for a in answers if a.status_code == 409)
