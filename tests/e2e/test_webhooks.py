"""Partner push through the gateway: the département registers a webhook endpoint; a person of its
territory is registered and oriented; its receiver (a real HTTP server on loopback) answers 500 for a
while, then recovers, and gets each change exactly once (deduplicating on webhook-id), signed (verified
with the `standardwebhooks` library), in order, and reads the resource it links with a purpose. A
person outside its territory produces nothing for it; the change feed gives the same sequence. A replay
(by delivery id, or since a moment) sends the changes again under new webhook-ids; a receiver answering
410 Gone disables its endpoint, and nothing more is sent to it."""
from __future__ import annotations

import time
from datetime import datetime, timezone

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


def test_replay_sends_the_changes_again_under_new_webhook_ids(stack):
    ft, dep = stack.client("ft-agence-nantes"), stack.client("departement-44")
    with Receiver() as receiver:
        endpoint = _register(dep, receiver, TYPES[:1])
        since = datetime.now(timezone.utc)  # before the person's registration happened
        ours = ft.post("/v1/registrations", json=person(rsa=True)).json()["id"]
        [original] = _settled(dep, endpoint, ours, 1)
        [first] = receiver.about(ours)
        assert first.headers["webhook-id"] == original["id"]

        by_id = dep.post(f"/v1/webhooks/{endpoint['id']}/replay", json={"delivery_id": original["id"]})
        assert by_id.status_code == 202, by_id.text
        by_time = dep.post(f"/v1/webhooks/{endpoint['id']}/replay", json={"since": since.isoformat()})
        assert by_time.status_code == 202, by_time.text
        replayed = by_id.json()["deliveries"] + by_time.json()["deliveries"]
        settled = _settled(dep, endpoint, ours, 3)  # the original and its two replays, all delivered
        assert {d["replay_of"] for d in settled} == {None, original["id"], "since"}

        got = {r.headers["webhook-id"]: r for r in receiver.about(ours)}
        hook = Webhook(endpoint["secret"])
        again = [got[i] for i in replayed if i in got]
        assert len(again) == 2 and original["id"] not in replayed  # new ids, both received
        assert all(hook.verify(r.body, r.headers)["data"] == first.event["data"] for r in again)


def test_a_receiver_answering_410_disables_its_endpoint_and_nothing_more_is_sent_to_it(stack):
    ft, dep = stack.client("ft-agence-nantes"), stack.client("departement-44")
    with Receiver() as gone, Receiver() as witness:
        gone.status = 410
        endpoint, other = _register(dep, gone, TYPES[:1]), _register(dep, witness, TYPES[:1])
        assert ft.post("/v1/registrations", json=person(rsa=True)).status_code == 201
        read = eventually(lambda: dep.get(f"/v1/webhooks/{endpoint['id']}"),
                          lambda a: a.json()["state"] == "disabled", timeout=90).json()
        assert read["state_reason"] == "gone"
        assert any(d["last_status_code"] == 410 for d in _deliveries(dep, endpoint))
        sent = len(gone.received)

        # The next change goes out to the other endpoint, recorded once its whole batch was sent;
        # the disabled one keeps its delivery waiting, never attempted.
        later = ft.post("/v1/registrations", json=person(rsa=True)).json()["id"]
        _settled(dep, other, later, 1)
        assert len(gone.received) == sent and gone.about(later) == []
        waiting = [d for d in _deliveries(dep, endpoint) if d["subject"] == later]
        assert [(d["status"], d["attempts"]) for d in waiting] == [("pending", 0)]
        assert dep.get(f"/v1/webhooks/{endpoint['id']}").json()["state"] == "disabled"


def _register(client, receiver, types):
    created = client.post("/v1/webhooks", json={"url": receiver.url, "event_types": types,
                                                "filter": {"departements": ["44"]}})
    assert created.status_code == 201, created.text
    return created.json()


def _deliveries(client, endpoint):
    """Every delivery of the endpoint, page by page (the shared stack's other people of Loire-Atlantique
    may reach it too)."""
    items, cursor = [], None
    while True:
        page = client.get(f"/v1/webhooks/{endpoint['id']}/deliveries",
                          params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def _settled(client, endpoint, subject, count, timeout=120.0):
    """The subject's `count` deliveries to the endpoint, once all are delivered."""
    deadline = time.monotonic() + timeout
    while True:
        mine = [d for d in _deliveries(client, endpoint) if d["subject"] == subject]
        if len(mine) == count and all(d["status"] == "delivered" for d in mine):
            return mine
        assert time.monotonic() < deadline, mine
        time.sleep(0.3)
