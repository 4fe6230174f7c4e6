"""A broker restart loses no webhook delivery and sends none twice to a receiver deduplicating on
webhook-id: deliveries recorded before the outage go out while the broker is down (they are rows, the
job needs no broker), and registrations accepted during it (kept by the registration outbox) reach the
partner once the broker is back, each change under one webhook-id.

It runs its own broker, as tests/e2e/test_faults.py does (its fixture, on TEST_KAFKA_PORT + 100), so
stopping it disturbs no other test."""
from __future__ import annotations

import time

import httpx
import pytest
from standardwebhooks import Webhook

from services.registration.tests.builders import person
from services.webhooks.tests.receiver import Receiver
from tests.e2e.test_faults import own_broker  # noqa: F401 (a fixture: one broker of the module's own)
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
TYPES = ["registration.person.registered.v2", "orientation.decision.made.v1"]


def test_a_broker_restart_loses_no_delivery_and_sends_none_twice(own_broker, tmp_path):  # noqa: F811
    stack = Stack.start(own_broker, tmp_path)
    try:
        ft, dep = stack.client("ft-agence-nantes"), stack.client("departement-44")
        with Receiver() as receiver:
            created = dep.post("/v1/webhooks", json={"url": receiver.url, "event_types": TYPES,
                                                     "filter": {"departements": ["44"]}})
            assert created.status_code == 201, created.text
            endpoint = created.json()
            hooks = f"/v1/webhooks/{endpoint['id']}"
            # Paused, so the first people's deliveries are recorded and wait, pending, for the outage.
            assert dep.post(f"{hooks}/pause").json()["state"] == "paused"
            before = _register(ft, 2)
            _recorded(dep, hooks, before)

            own_broker.stop()
            during = _register(ft, 3)  # the write path does not need the broker: the outbox keeps them
            assert httpx.get(f"{stack.registration.url}/readyz").status_code == 503
            assert dep.post(f"{hooks}/resume").json()["state"] == "active"  # the waiting rows go out now
            _received(receiver, before, TYPES[:1], settle=False)  # their decisions may be on their way
            own_broker.start()

            got = _received(receiver, before + during, TYPES)
            assert _deliveries(dep, hooks, before + during) == {s: sorted(TYPES) for s in before + during}
        hook = Webhook(endpoint["secret"])
        for subject, accepted in got.items():
            # Signed, and in the subject's sequence. Topics interleave: after the restart a decision may
            # be read before its registration, and then comes first with sequence 1 (services/webhooks/
            # service/recording.py); the order sent is always the sequence's.
            events = [hook.verify(r.body, r.headers) for r in accepted]
            assert {e["subject"] for e in events} == {subject}
            assert [e["data"]["sequence"] for e in events] == [1, 2]
    finally:
        stack.stop()


def _register(client: httpx.Client, count: int) -> list[str]:
    answers = [client.post("/v1/registrations", json=person(rsa=True)) for _ in range(count)]
    assert [a.status_code for a in answers] == [201] * count, [a.text for a in answers if a.status_code != 201]
    return [a.json()["id"] for a in answers]


def _recorded(client: httpx.Client, hooks: str, subjects: list[str], timeout: float = 120.0) -> None:
    """Wait until each subject's registration has a delivery recorded for the endpoint."""
    deadline = time.monotonic() + timeout
    while not all(TYPES[0] in types for types in _deliveries(client, hooks, subjects).values()):
        assert time.monotonic() < deadline, _deliveries(client, hooks, subjects)
        time.sleep(0.3)


def _deliveries(client: httpx.Client, hooks: str, subjects: list[str]) -> dict[str, list[str]]:
    """The event types of each subject's deliveries recorded for the endpoint (its rows: a change
    recorded twice would be two), page by page."""
    items, cursor = [], None
    while True:
        page = client.get(f"{hooks}/deliveries", params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return {s: sorted(d["event_type"] for d in items if d["subject"] == s) for s in subjects}


def _received(receiver: Receiver, subjects: list[str], types: list[str], settle: bool = True,
              timeout: float = 180.0) -> dict:
    """What a receiver deduplicating on webhook-id accepted about each subject, once each has its
    `types`; settled: a little longer, so that a change sent again under a new webhook-id would show up,
    and exactly those."""
    def accepted() -> dict[str, list]:
        out = {}
        for subject in subjects:
            firsts = {}
            for r in receiver.about(subject):
                if 200 <= r.answered < 300:
                    firsts.setdefault(r.headers["webhook-id"], r)
            out[subject] = list(firsts.values())
        return out

    deadline = time.monotonic() + timeout
    while not all(len(got) >= len(types) for got in accepted().values()):
        assert time.monotonic() < deadline, {s: [r.event["type"] for r in got] for s, got in accepted().items()}
        time.sleep(0.3)
    if not settle:
        return {}
    time.sleep(2)  # not a wait for the platform: a window for a late duplicate to be caught in
    got = accepted()
    assert {s: sorted(r.event["type"] for r in g) for s, g in got.items()} == {s: sorted(types) for s in subjects}
    return got
