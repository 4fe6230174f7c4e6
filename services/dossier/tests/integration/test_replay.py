"""The read model is a pure function of the events: redelivered or replayed from offset 0, the same dossier."""
from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from services.dossier.tests.builders import (
    APPOINTMENTS, DECISIONS, NOW, REGISTRATIONS, appointment, decision, registration, send, wait_for_sections,
)
from tests.support.kafka import unique_prefix

pytestmark = pytest.mark.integration

EXPECTED_VERSIONS = {"identity": 2, "orientation": 2, "appointments": 2}


def sections_of(database_url: str, person_id: str) -> list[tuple]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(
                "SELECT section, version, content, meta FROM dossier_sections WHERE person_id = :p ORDER BY section"),
                {"p": person_id})]
    finally:
        engine.dispose()


def test_redelivery_and_a_replay_into_a_fresh_database_give_the_same_dossier(replay_database_url, make_service, service,
                                                                            tokens, broker, database_url):
    person_id, appointment_id = str(uuid.uuid4()), str(uuid.uuid4())
    registered = registration(person_id, at=NOW - timedelta(days=5))
    updated = registration(person_id, health=False, at=NOW - timedelta(days=4))
    proposed = decision(person_id, status="proposed", at=NOW - timedelta(days=4))
    # The same decision published again under a new event id (a producer retrying after a crash).
    republished = dataclasses.replace(proposed, id=str(uuid.uuid4()))
    reoriented = decision(person_id, "departement-44", org_type="departement", kind="reoriented",
                          at=NOW - timedelta(days=2), reason="situation_changed")
    booked = appointment(person_id, appointment_id, at=NOW - timedelta(days=3))
    no_show = appointment(person_id, appointment_id, "no_show", at=NOW - timedelta(days=1))
    # Each topic's last event is the one that completes the expected state, after the duplicates.
    send(broker, REGISTRATIONS, registered, registered, updated)
    send(broker, DECISIONS, proposed, proposed, republished, reoriented)
    send(broker, APPOINTMENTS, booked, booked, no_show)

    assert wait_for_sections(database_url, person_id, lambda v: v == EXPECTED_VERSIONS) == EXPECTED_VERSIONS
    as_dep = tokens.headers("departement-44")
    view = service.get(f"/v1/dossiers/{person_id}?purpose=orientation", headers=as_dep).json()
    assert [(d["kind"], d["status"]) for d in view["orientation"]["history"]] == [("made", "proposed"),
                                                                                 ("reoriented", "decided")]
    assert view["orientation"]["current"]["reason"] == "situation_changed"
    assert view["identity"]["barriers"] == {"health": False, "mobility": True}  # the update won; département is referent
    assert [(a["appointment_id"], a["status"]) for a in view["appointments"]["items"]] == [(appointment_id, "no_show")]
    # No longer a proposal to the mission locale: it knows this young person of its territory only as the
    # counter that may register them (services/core/person_policy.py), so it reads nothing of the orientation.
    by_ml = service.get(f"/v1/dossiers/{person_id}?purpose=orientation", headers=tokens.headers("mission-locale-nantes"))
    assert by_ml.status_code == 200 and "orientation" not in by_ml.json(), by_ml.text

    replayed = make_service(replay_database_url, unique_prefix())  # a new consumer group: from offset 0
    wait_for_sections(replay_database_url, person_id, lambda v: v == EXPECTED_VERSIONS)
    assert sections_of(replay_database_url, person_id) == sections_of(database_url, person_id)
    assert replayed.get(f"/v1/dossiers/{person_id}?purpose=orientation", headers=as_dep).json() == view
