"""Issue 9, finding 3, through the whole platform: health data reaches the person's referent and the
services entitled to it, never a broadcast event, a département's or a CAF's read."""
from __future__ import annotations

import pytest

from services.core.broker import declared_topics
from services.core.health_data import health_keys_in
from services.dossier.api import examples as dossier_examples
from services.registration.published import PERSONS_HEALTH
from services.registration.tests.builders import person
from tests.support.kafka import envelope_of
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e

HEALTH_NOTE = "Chronic back pain: no standing jobs."


def test_health_data_goes_to_the_referent_only_and_never_on_a_broadcast_topic(stack):
    broadcast = [topic for topic in declared_topics() if topic != PERSONS_HEALTH.address]
    since = {topic: stack.broker.end_offsets(topic) for topic in broadcast}
    ft, dep, ml, caf = (stack.client(c) for c in ("ft-agence-nantes", "departement-44", "mission-locale-nantes",
                                                  "caf-44"))
    body = person()  # an RSA recipient, 25, living in Nantes: the département decides, the mission locale accompanies
    body["pre_diagnostic"]["barriers"]["health"] = True
    person_id = ft.post("/v1/registrations", json=body).json()["id"]
    decision = eventually(lambda: dep.get(f"/v1/orientation/decisions/{person_id}"), lambda a: a.status_code == 200)
    assert dep.post(f"/v1/orientation/decisions/{person_id}/validate", json={},
                    headers={"If-Match": decision.headers["ETag"]}).status_code == 200
    dossier = f"/v1/dossiers/{person_id}"
    eventually(lambda: ml.get(f"{dossier}/orientation?purpose=accompaniment"),
               lambda a: a.status_code == 200 and a.json()["current"]["status"] == "decided")
    diagnostic = {**dossier_examples.DIAGNOSTIC_PATCH, "overall_situation": {
        **dossier_examples.DIAGNOSTIC_PATCH["overall_situation"], "health": HEALTH_NOTE}}
    assert ml.patch(f"{dossier}/diagnostic", json=diagnostic, headers={"If-Match": '"0"'}).status_code == 200

    referent_view = ml.get(f"{dossier}?purpose=accompaniment").json()
    assert referent_view["identity"]["barriers"]["health"] is True
    assert referent_view["diagnostic"]["overall_situation"]["health"] == HEALTH_NOTE
    for client, purpose in ((dep, "rsa_entitlement"), (caf, "rsa_entitlement"), (ft, "control")):
        for path in (f"{dossier}?purpose={purpose}", f"/v1/registrations/{person_id}", "/v1/registrations?limit=100"):
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.text)
            assert list(health_keys_in(answer.json())) == [], path

    for topic in broadcast:  # every event of the journey on a topic any entitled service may read
        messages = stack.broker.read(topic, since[topic], lambda _: False, timeout=2)
        for message in (m for m in messages if m.key == person_id.encode()):
            assert list(health_keys_in(envelope_of(message))) == [], (topic, envelope_of(message)["type"])
