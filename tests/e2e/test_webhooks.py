"""Partner push through the gateway: the département registers a webhook endpoint; a person of its
territory is registered and oriented; its receiver (a real HTTP server on loopback) answers 500 for a
while, then recovers, and gets each change exactly once (deduplicating on webhook-id), signed (verified
with the `standardwebhooks` library), in order, and reads the resource it links with a purpose. A
person outside its territory produces nothing for it; the change feed gives the same sequence."""
from __future__ import annotations

import pytest
from standardwebhooks import Webhook

from services.registration.tests.builders import person
from services.webhooks.tests.receiver import Receiver
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e
TYPES = ["registration.person.registered.v2", "orientation.decision.made.v1"]


def test_a_departement_receives_its_territory_s_changes_exactly_once_after_its_receiver_recovers(stack):
    ft, dep, admin = (stack.client(c) for c in ("ft-agence-nantes", "departement-44", "platform-admin"))
    with Receiver() as receiver:
        receiver.status = 500
        created = dep.post("/v1/webhooks", json={"url": receiver.url, "event_types": TYPES,
                                                 "filter": {"departements": ["44"]}})
        assert created.status_code == 201, created.text
        endpoint = created.json()
        ours = ft.post("/v1/registrations", json=person(rsa=True)).json()["id"]
        outside = ft.post("/v1/registrations", json=person(rsa=True, commune_code="49007", postal_code="49000")
                          ).json()["id"]

        eventually(lambda: receiver.about(ours), lambda got: len(got) >= 1, timeout=90)
        receiver.status = 204  # recovered: the retry (5 s after the failure) goes through
        deliveries = f"/v1/webhooks/{endpoint['id']}/deliveries"
        eventually(lambda: dep.get(deliveries), lambda a: [d["status"] for d in a.json()["items"]
                                                           if d["subject"] == ours] == ["delivered"] * 2, timeout=120)

        got = receiver.about(ours)
        hook = Webhook(endpoint["secret"])
        assert all(hook.verify(r.body, r.headers)["subject"] == ours for r in got)
        accepted = [r for r in got if 200 <= r.answered < 300]
        assert len({r.headers["webhook-id"] for r in accepted}) == len(accepted) == 2  # once each
        assert {r.headers["webhook-id"] for r in got} == {r.headers["webhook-id"] for r in accepted}
        events = [r.event for r in accepted]
        assert [e["type"] for e in events] == TYPES and [e["data"]["sequence"] for e in events] == [1, 2]

        # Thin: the receiver reads what changed, with a purpose (logged in the person's access log).
        assert dep.get(events[0]["data"]["link"]).status_code == 200
        assert dep.get(f"/v1/dossiers/{ours}", params={"purpose": "orientation"}).status_code == 200

        # The person of Maine-et-Loire reached the service (the operator's feed has them) and nobody sent it.
        eventually(lambda: _feed(admin), lambda items: any(e["subject"] == outside for e in items))
        assert receiver.about(outside) == []
        feed = _feed(dep)
        assert all(e["subject"] != outside for e in feed)
        assert [(e["type"], e["data"]["sequence"]) for e in feed if e["subject"] == ours] == [
            (e["type"], e["data"]["sequence"]) for e in events]


def _feed(client):
    items, cursor = [], None
    while True:
        page = client.get("/v1/changes", params={"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        if not page["items"]:
            return items
        cursor = page["next_cursor"]
