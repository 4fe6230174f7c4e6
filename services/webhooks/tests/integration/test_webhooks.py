"""The webhooks service on SQLite and PostgreSQL with the real broker, delivering to a real receiver on
loopback, verified with the `standardwebhooks` library from PyPI (not the platform's own code): a
département's endpoint gets its territory's changes, signed, in order per person, exactly once to a
receiver deduplicating on webhook-id after a 500; a person outside its territory produces nothing;
the change feed gives the same sequence; 410 disables, replays, rotation, and failures that pause."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from standardwebhooks import Webhook

from services.core.db import utcnow
from services.dossier.published import DOSSIERS
from services.orientation.published import DECISIONS
from services.registration.published import PERSONS
from services.webhooks.domain.retry import MAX_ATTEMPTS
from services.webhooks.tests.builders import diagnosed, oriented, registered
from services.webhooks.tests.integration.conftest import caught_up
from tests.support.apps import service_client
from tests.support.polling import table_rows as wait_for

pytestmark = pytest.mark.integration
DEP = "departement-44"
TOPICS = {"registration": PERSONS, "orientation": DECISIONS, "dossier": DOSSIERS}
TYPES = ["registration.person.registered.v2", "orientation.decision.made.v1", "dossier.diagnostic.completed.v1"]


def send(broker, *envelopes) -> None:
    for envelope in envelopes:
        broker.produce(TOPICS[envelope.source].address, envelope.subject, envelope.to_json())


def register_endpoint(service, tokens, url, **extra):
    answer = service.post("/v1/webhooks", json={"url": url, "event_types": TYPES, **extra}, headers=tokens.headers(DEP))
    assert answer.status_code == 201, answer.text
    return answer.json()


def deliveries_of(database_url, endpoint_id, person, count):
    return wait_for(database_url, "select event_type from webhook_deliveries where endpoint_id = :e and subject = :p "
                    "order by created_at", {"e": endpoint_id, "p": person}, lambda rows: len(rows) == count)


def deliver(service, now):
    return service.app.state.webhook_deliverer.run(now)


def test_signed_ordered_entitled_deliveries_exactly_once_after_a_500(service, database_url, broker, tokens, receiver):
    refused = service.post("/v1/webhooks", json={"url": "https://10.1.2.3/hooks", "event_types": TYPES},
                           headers=tokens.headers(DEP))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "url"
    created = register_endpoint(service, tokens, receiver.url, filter={"departements": ["44"]})
    assert created["secret"].startswith("whsec_") and created["state"] == "active"
    read = service.get(f"/v1/webhooks/{created['id']}", headers=tokens.headers(DEP))
    assert "secret" not in read.json() and read.headers["ETag"] == '"1"'
    assert service.get(f"/v1/webhooks/{created['id']}", headers=tokens.headers("caf-44")).status_code in (403, 404)

    ours, outside = str(uuid.uuid4()), str(uuid.uuid4())
    send(broker, registered(outside, departement="49"), registered(ours))
    deliveries_of(database_url, created["id"], ours, 1)
    # One after the other: topics keep no order between them, and each change to a subject takes the
    # next sequence number, delivered or not, so the decision's number depends on which came first.
    send(broker, oriented(ours))
    deliveries_of(database_url, created["id"], ours, 2)
    send(broker, diagnosed(ours))
    wait_for(database_url, "select count(*) from webhook_changes where subject = :p", {"p": ours},
             lambda rows: rows[0][0] == 3)
    deliveries_of(database_url, created["id"], ours, 2)  # the diagnostic is not the département's to know
    wait_for(database_url, "select count(*) from webhook_changes where subject = :p", {"p": outside},
             lambda rows: rows[0][0] == 1)
    assert deliveries_of(database_url, created["id"], outside, 0) == []

    now = utcnow() + timedelta(seconds=1)
    receiver.status = 500
    deliver(service, now)
    assert [r.event["type"] for r in receiver.about(ours)] == [TYPES[0]]  # the decision waits behind it
    decision, pending = [d for d in _deliveries(service, tokens, created["id"]) if d["subject"] == ours]  # newest first
    assert (pending["status"], pending["attempts"], pending["last_status_code"]) == ("pending", 1, 500)
    assert (decision["event_type"], decision["status"], decision["attempts"]) == (TYPES[1], "pending", 0)
    assert pending["next_attempt_at"] is not None and pending["attempt_log"][0]["status_code"] == 500

    receiver.status = 204
    for later in (10, 20, 40):  # the registration's retry, then the decision it held back
        deliver(service, now + timedelta(seconds=later))
    got = receiver.about(ours)
    hook = Webhook(created["secret"])
    events = [hook.verify(r.body, r.headers) for r in got]
    assert [e["type"] for e in events] == [TYPES[0], TYPES[0], TYPES[1]], wait_for(
        database_url, "select event_type, status, attempts, next_attempt_at, created_at, change_position from "
        "webhook_deliveries where subject = :p", {"p": ours}, lambda rows: True)
    assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"] != got[2].headers["webhook-id"]
    unique = list({r.headers["webhook-id"]: r.event for r in got}.values())
    assert [e["data"]["sequence"] for e in unique] == [1, 2]
    assert unique[0]["data"] == {"subject_id": ours, "changed": ["registration"], "link": f"/v1/registrations/{ours}",
                                 "sequence": 1}
    assert "Durand" not in str(unique)
    assert {d["status"] for d in _deliveries(service, tokens, created["id"]) if d["subject"] == ours} == {"delivered"}

    # The change feed: the same entitled sequence, cursor by cursor, nothing skipped or repeated.
    feed = _feed(service, tokens, limit=7)
    assert [(e["type"], e["data"]["sequence"]) for e in feed if e["subject"] == ours] == [
        (e["type"], e["data"]["sequence"]) for e in unique]
    assert all(e["subject"] != outside for e in feed)
    assert len({e["id"] for e in feed}) == len(feed)


def test_410_disables_replay_rotation_and_failures_that_pause(service, database_url, broker, tokens, receiver):
    endpoint = register_endpoint(service, tokens, receiver.url, technical_contact="dsi@loire-atlantique.example")
    person = str(uuid.uuid4())
    send(broker, registered(person))
    deliveries_of(database_url, endpoint["id"], person, 1)
    receiver.status = 410
    now = utcnow() + timedelta(seconds=1)
    deliver(service, now)
    read = service.get(f"/v1/webhooks/{endpoint['id']}", headers=tokens.headers(DEP)).json()
    assert (read["state"], read["state_reason"]) == ("disabled", "gone")
    wait_for(database_url, "select count(*) from outbox where event_type = 'webhooks.endpoint.suspended.v1' "
             "and key = :e", {"e": endpoint["id"]}, lambda rows: rows[0][0] == 1)

    # Resumed with a new secret (the old one still signs during the overlap): what waited is delivered.
    receiver.status = 204
    rotated = service.post(f"/v1/webhooks/{endpoint['id']}/rotate-secret", json={"overlap_seconds": 3600},
                           headers=tokens.headers(DEP)).json()
    assert service.post(f"/v1/webhooks/{endpoint['id']}/resume", headers=tokens.headers(DEP)).json()["state"] == "active"
    deliver(service, utcnow() + timedelta(seconds=1))
    last = receiver.about(person)[-1]
    assert len(last.headers["webhook-signature"].split(" ")) == 2
    for secret in (rotated["secret"], endpoint["secret"]):
        assert Webhook(secret).verify(last.body, last.headers)["subject"] == person

    # Replay by delivery id: a new webhook-id, the same change.
    [delivered] = [d for d in _deliveries(service, tokens, endpoint["id"]) if d["subject"] == person]
    replay = service.post(f"/v1/webhooks/{endpoint['id']}/replay", json={"delivery_id": delivered["id"]},
                          headers=tokens.headers(DEP))
    assert replay.status_code == 202, replay.text
    deliver(service, utcnow() + timedelta(seconds=1))
    again = receiver.about(person)[-1]
    assert again.headers["webhook-id"] == replay.json()["deliveries"][0] != last.headers["webhook-id"]
    assert again.event["data"] == last.event["data"]

    # A receiver failing through the whole schedule: given up, and the endpoint paused.
    receiver.status = 503
    test = service.post(f"/v1/webhooks/{endpoint['id']}/test", headers=tokens.headers(DEP))
    assert test.status_code == 202
    moment = utcnow() + timedelta(seconds=1)
    for _ in range(MAX_ATTEMPTS):
        deliver(service, moment)
        moment += timedelta(days=1)
    read = service.get(f"/v1/webhooks/{endpoint['id']}", headers=tokens.headers(DEP)).json()
    assert (read["state"], read["state_reason"]) == ("paused", "failing")
    # The test event, or an older delivery to the endpoint (the broker is shared: other tests' people
    # of Loire-Atlantique reach it too), failed at every attempt of the schedule.
    assert any(d["status"] == "failed" and d["attempts"] == MAX_ATTEMPTS
               for d in _deliveries(service, tokens, endpoint["id"]))
    wait_for(database_url, "select count(*) from outbox where event_type = 'webhooks.endpoint.suspended.v1' "
             "and key = :e", {"e": endpoint["id"]}, lambda rows: rows[0][0] == 2)


def _deliveries(service, tokens, endpoint_id):
    """Every delivery of the endpoint, page by page (other tests' people may be the département's too)."""
    items, cursor = [], None
    while True:
        answer = service.get(f"/v1/webhooks/{endpoint_id}/deliveries", headers=tokens.headers(DEP),
                             params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        assert answer.status_code == 200, answer.text
        items += answer.json()["items"]
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return items


def _feed(service, tokens, limit):
    items, cursor = [], None
    while True:
        page = service.get("/v1/changes", params={"limit": limit, **({"cursor": cursor} if cursor else {})},
                           headers=tokens.headers(DEP)).json()
        items += page["items"]
        if not page["items"] and cursor == page["next_cursor"]:
            return items
        cursor = page["next_cursor"]


def test_a_restart_loses_no_delivery_and_a_crash_mid_send_resends_the_same_webhook_id(
        database_url, broker, tokens, consumer_prefix, monkeypatch, receiver):
    """Deliveries are rows: a service stopped after recording them sends them once restarted; one that
    died after sending but before recording the answer sends again, under the same webhook-id, once its
    lease ran out, so a receiver deduplicating on it applies the change once."""
    monkeypatch.setenv("WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1")
    person = str(uuid.uuid4())
    with service_client("webhooks", database_url, broker, tokens, consumer_prefix, jobs=frozenset()) as service:
        caught_up(broker, consumer_prefix)
        endpoint = register_endpoint(service, tokens, receiver.url)
        send(broker, registered(person))
        deliveries_of(database_url, endpoint["id"], person, 1)
    assert receiver.about(person) == []

    with service_client("webhooks", database_url, broker, tokens, consumer_prefix, jobs=frozenset()) as service:
        deliverer = service.app.state.webhook_deliverer
        now = utcnow() + timedelta(seconds=1)
        ours = _ids(database_url, endpoint["id"], person)
        claimed = []
        while not claimed:  # other tests' people of Loire-Atlantique may be due before ours
            attempts, _ = deliverer.claim(now)
            assert attempts, "the delivery was never due"
            claimed = [a for a in attempts if a.delivery_id in ours]
        deliverer.send(claimed[0])  # sent, then the process dies before recording the answer
    [first] = receiver.about(person)

    with service_client("webhooks", database_url, broker, tokens, consumer_prefix, jobs=frozenset()) as service:
        deliver(service, now + timedelta(seconds=30))
        assert len(receiver.about(person)) == 1  # still leased: the process that died may have been sending
        deliver(service, now + timedelta(minutes=2))
        got = receiver.about(person)
        assert [r.headers["webhook-id"] for r in got] == [first.headers["webhook-id"]] * 2, wait_for(
            database_url, "select status, attempts, next_attempt_at, created_at from webhook_deliveries "
            "where subject = :p", {"p": person}, lambda rows: True)
        [delivered] = [d for d in _deliveries(service, tokens, endpoint["id"]) if d["subject"] == person]
        assert (delivered["status"], delivered["attempts"]) == ("delivered", 1)


def _ids(database_url, endpoint_id, person):
    return {row[0] for row in wait_for(database_url, "select id from webhook_deliveries where endpoint_id = :e and "
                                       "subject = :p", {"e": endpoint_id, "p": person}, lambda rows: rows)}
