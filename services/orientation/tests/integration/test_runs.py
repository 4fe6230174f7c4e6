"""A run of registrations applied in one transaction, on each database: the orientations of a run are
loaded and stored together (`OrientationRepository.get_many` / `save_all`), and the result is what
applying the events one by one gives."""
from __future__ import annotations

import json

from sqlalchemy import select

from services.core.events import Envelope
from services.core.outbox import OutboxMessage
from services.orientation.adapters.orm import DecisionRow, PersonRow
from services.orientation.published import DECISION_MADE
from services.orientation.tests.builders import registered_event
from services.registration.published import PERSON_HEALTH


class Message:
    """What the consumer reads of a Kafka record."""

    def __init__(self, envelope: Envelope, offset: int) -> None:
        self.value, self.offset, self.headers = envelope.to_json(), offset, []
        self.topic, self.partition, self.key = PERSON_HEALTH.topic.address, 0, envelope.subject.encode()


def told(data: dict) -> Envelope:
    return Envelope(type=PERSON_HEALTH.name, source="registration", subject=data["registration_id"], data=data)


def test_a_run_orients_each_new_person_once_and_keeps_the_known_ones(orientation, tokens):
    platform = orientation.app.state.platform
    [consumer] = [c for c in platform.consumers if c.name.endswith("orientation.registrations")]
    known, first = registered_event(commune="44109"), registered_event(rsa=True)
    consumer.process_batch([Message(told(known), 0)])

    duplicate = told(first)
    corrected = {**first, "territory": {"commune_code": "49007", "departement_code": "49", "region_code": "52"}}
    later = registered_event(departement="53", commune="53130")
    rqth = {**known, "situation": {**known["situation"], "rqth": True}}
    consumer.process_batch([Message(duplicate, 1), Message(told(rqth), 2), Message(duplicate, 3),
                            Message(told(corrected), 4), Message(told(later), 5)])

    people = [known["registration_id"], first["registration_id"], later["registration_id"]]
    with platform.db.sessions() as session:
        decisions = session.execute(select(DecisionRow.person_id, DecisionRow.sequence)
                                    .where(DecisionRow.person_id.in_(people))).all()
        decided_on = {key: json.loads(payload)["data"]["departement_code"] for key, payload in session.execute(
            select(OutboxMessage.key, OutboxMessage.payload).where(
                OutboxMessage.event_type == DECISION_MADE.name, OutboxMessage.key.in_(people)))}
        facts = {row.person_id: row for row in session.execute(select(PersonRow).where(PersonRow.person_id.in_(people))).scalars()}
    assert sorted(decisions) == sorted((person, 1) for person in people)  # one each, the duplicate applied once
    # Each decision told with the facts it was taken on; the facts kept are the latest.
    assert decided_on == {known["registration_id"]: "44", first["registration_id"]: "44", later["registration_id"]: "53"}
    assert facts[first["registration_id"]].departement_code == "49"
    assert facts[known["registration_id"]].rqth is True and facts[later["registration_id"]].commune_code == "53130"

    answer = orientation.service.get(f"/v1/orientation/decisions/{later['registration_id']}",
                                     headers=tokens.headers("ft-agence-nantes"))
    assert answer.status_code == 200 and len(answer.json()["history"]) == 1
