"""First appointments: one booking per slot under concurrency, reminders once, no-shows told."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from services.orientation.tests.builders import registered_event
from services.orientation.tests.integration.conftest import APPOINTMENTS, now

pytestmark = pytest.mark.integration


def oriented_with_a_slot(orientation, hours_ahead: float = 72) -> tuple[str, dict]:
    """A person decided towards France Travail Nantes Est, and a free slot of that agency."""
    person_id = orientation.register(registered_event())
    body = orientation.decision(person_id).json()
    assert body["current"]["referent"]["org_id"] == "ft-agence-44-nantes-est"
    slot = orientation.post("/v1/orientation/slots", {
        "starts_at": (now() + timedelta(hours=hours_ahead)).isoformat(), "duration_minutes": 45,
        "channel": "on_site", "location": "3 rue Jules Verne, Nantes"})
    assert slot.status_code == 201, slot.text
    assert slot.headers["Location"] == f"/v1/orientation/slots/{slot.json()['slot_id']}"
    return person_id, slot.json()


def test_one_slot_booked_by_20_parallel_requests_is_booked_once(orientation, broker):
    since = broker.end_offsets(APPOINTMENTS)
    first, slot = oriented_with_a_slot(orientation)
    people = [first] + [orientation.register(registered_event()) for _ in range(19)]
    for person_id in people:
        orientation.decision(person_id)

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda person_id: orientation.post(
            "/v1/orientation/appointments", {"person_id": person_id, "slot_id": slot["slot_id"]}), people))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [201] + [409] * 19, codes
    booked = next(a for a in answers if a.status_code == 201).json()
    assert booked["delay_days"] == 3 and booked["within_target"] is True
    assert all(a.json()["type"].endswith("/slot-taken") for a in answers if a.status_code == 409)

    [event] = orientation.events(APPOINTMENTS, since, booked["person_id"], 1)
    assert event["type"] == "orientation.appointment.booked.v1"
    assert event["data"]["delay_days"] == 3 and event["data"]["appointment_id"] == booked["appointment_id"]
    free = orientation.service.get("/v1/orientation/slots", params={"org_id": "ft-agence-44-nantes-est",
                                                                    "available": "true", "limit": 100},
                                   headers=orientation.tokens.headers("ft-agence-nantes")).json()
    assert slot["slot_id"] not in [s["slot_id"] for s in free["items"]]


def test_booking_rules(orientation):
    person_id, slot = oriented_with_a_slot(orientation)
    book = {"person_id": person_id, "slot_id": slot["slot_id"]}
    # The mission locale is not this person's referent: it does not even see them.
    assert orientation.post("/v1/orientation/appointments", book, client="mission-locale-nantes").status_code == 404
    # A slot of another organisation than the referent is refused.
    ml_slot = orientation.post("/v1/orientation/slots", {
        "starts_at": (now() + timedelta(days=2)).isoformat(), "duration_minutes": 30, "channel": "phone"},
        client="mission-locale-nantes").json()
    wrong = orientation.post("/v1/orientation/appointments", {**book, "slot_id": ml_slot["slot_id"]})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "slot_id"
    # Not oriented yet (a proposal awaiting the département): no appointment.
    proposed = orientation.register(registered_event(rsa=True))
    orientation.decision(proposed)
    early = orientation.post("/v1/orientation/appointments", {"person_id": proposed, "slot_id": slot["slot_id"]})
    assert early.status_code == 409
    # A temp agency publishes no slots.
    assert orientation.post("/v1/orientation/slots", {"starts_at": (now() + timedelta(days=2)).isoformat(),
                                                      "duration_minutes": 30, "channel": "phone"},
                            client="interim-ouest", scopes={"orientation:decide"}).status_code == 403


def test_reminders_once_each_then_a_no_show(orientation, broker):
    since = broker.end_offsets(APPOINTMENTS)
    person_id, slot = oriented_with_a_slot(orientation, hours_ahead=47)
    booked = orientation.post("/v1/orientation/appointments", {"person_id": person_id, "slot_id": slot["slot_id"]})
    appointment_id = booked.json()["appointment_id"]
    appointments = orientation.app.state.appointments
    starts_at = now() + timedelta(hours=47)

    appointments.send_due_reminders(orientation.units, now())
    appointments.send_due_reminders(orientation.units, now() + timedelta(minutes=5))  # still only the 48 h one
    appointments.send_due_reminders(orientation.units, starts_at - timedelta(hours=1))
    appointments.send_due_reminders(orientation.units, starts_at - timedelta(minutes=30))

    no_show = f"/v1/orientation/appointments/{appointment_id}/no-show"
    assert orientation.post(no_show, None).status_code == 409  # not started yet
    real_clock = appointments.clock
    appointments.clock = lambda: real_clock() + timedelta(hours=48)
    try:
        recorded = orientation.post(no_show, None)
    finally:
        appointments.clock = real_clock
    assert recorded.status_code == 200 and recorded.json()["status"] == "no_show"
    assert recorded.json()["reminders_sent"] == ["2h", "48h"]

    events = orientation.events(APPOINTMENTS, since, person_id, 4)
    kinds = [(e["type"].split(".")[2], e["data"].get("reminder")) for e in events]
    assert kinds == [("booked", None), ("reminder_due", "48h"), ("reminder_due", "2h"), ("no_show", None)]


def test_one_first_appointment_at_a_time_until_it_is_missed(orientation):
    person_id, first = oriented_with_a_slot(orientation, hours_ahead=47)
    later = orientation.post("/v1/orientation/slots", {
        "starts_at": (now() + timedelta(hours=72)).isoformat(), "duration_minutes": 45, "channel": "phone"}).json()
    booked = orientation.post("/v1/orientation/appointments", {"person_id": person_id, "slot_id": first["slot_id"]})
    assert booked.status_code == 201, booked.text

    second = orientation.post("/v1/orientation/appointments", {"person_id": person_id, "slot_id": later["slot_id"]})
    assert second.status_code == 409 and "already has a first appointment" in second.json()["detail"]

    appointments = orientation.app.state.appointments
    real_clock = appointments.clock
    appointments.clock = lambda: real_clock() + timedelta(hours=48)
    try:
        missed = orientation.post(f"/v1/orientation/appointments/{booked.json()['appointment_id']}/no-show", None)
    finally:
        appointments.clock = real_clock
    assert missed.status_code == 200, missed.text
    rebooked = orientation.post("/v1/orientation/appointments", {"person_id": person_id, "slot_id": later["slot_id"]})
    assert rebooked.status_code == 201, rebooked.text
