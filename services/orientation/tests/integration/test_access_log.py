"""An organisation's reads and writes of a person's orientation and appointments are told to the person's
access log (orientation.accesses.v1, which the dossier keeps), on SQLite and PostgreSQL with real Kafka;
the person's own reads, a refused read and a replayed write are not."""
from __future__ import annotations

import pytest

from services.orientation.published import ACCESS_RECORDED
from services.orientation.tests.integration.test_my_appointments import agency_slot, me, oriented

pytestmark = pytest.mark.integration

ACCESSES = ACCESS_RECORDED.topic.address
AGENCY = {"client_id": "ft-agence-nantes", "org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}


def test_an_organisations_reads_and_writes_are_told_the_persons_own_are_not(orientation, broker):
    since = broker.end_offsets(ACCESSES)
    person_id = oriented(orientation)  # the agency reads the decision once it is there
    decision = f"/v1/orientation/decisions/{person_id}"
    assert orientation.service.get(decision, headers=orientation.tokens.headers("mission-locale-nantes")
                                   ).status_code == 404  # not visible to it: nothing read, nothing told
    assert me(orientation, person_id, "GET", "/orientation").status_code == 200
    assert me(orientation, person_id, "GET", "/appointments").status_code == 200

    book = {"person_id": person_id, "slot_id": agency_slot(orientation, 72)}
    booked = orientation.post("/v1/orientation/appointments", book, **{"Idempotency-Key": "access-log-booking"})
    assert booked.status_code == 201, booked.text
    replayed = orientation.post("/v1/orientation/appointments", book, **{"Idempotency-Key": "access-log-booking"})
    assert replayed.headers["Idempotent-Replayed"] == "true"
    appointment = f"/v1/orientation/appointments/{booked.json()['appointment_id']}"
    assert orientation.service.get(appointment, headers=orientation.tokens.headers("ft-agence-nantes")).status_code == 200
    version = orientation.service.get(decision, headers=orientation.tokens.headers("ft-agence-nantes")).json()["version"]
    reoriented = orientation.post(f"{decision}/reorientations", {
        "reason": "first_appointment", "pathway": "socio_professional", "referent_org_type": "france_travail",
        "intensity": "intensive"}, **{"If-Match": f'"{version}"'})
    assert reoriented.status_code == 201, reoriented.text

    told = orientation.events(ACCESSES, since, person_id, 5)
    assert [(e["data"]["action"], e["data"]["access"], e["data"]["sections"]) for e in told] == [
        ("read_orientation", "read", ["orientation"]), ("book_appointment", "write", ["appointments"]),
        ("read_appointment", "read", ["appointments"]), ("read_orientation", "read", ["orientation"]),
        ("reorient", "write", ["orientation"])]
    assert all(e["type"] == ACCESS_RECORDED.name and e["data"]["by"] == AGENCY and e["data"]["purpose"] is None
               and e["data"]["service"] == "orientation" and e["data"]["person_id"] == person_id for e in told)
