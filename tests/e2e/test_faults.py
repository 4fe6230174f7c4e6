"""Nothing accepted is lost, nothing is told twice: broker outage, crash between commit and publish.

These tests run their own broker so that stopping it disturbs no other test.
"""
from __future__ import annotations

import os
from collections import Counter

import httpx
import pytest

from services.registration.tests.builders import person
from tests.support.kafka import TestBroker
from tests.support.stack import Stack
from services.registration.published import PERSONS

pytestmark = pytest.mark.e2e

TOPIC = PERSONS.address


@pytest.fixture(scope="module")
def own_broker():
    broker = TestBroker(int(os.environ.get("TEST_KAFKA_PORT", "19092")) + 100)
    broker.start()
    broker.ensure_topics()
    yield broker
    broker.stop()


def register(stack: Stack, count: int) -> list[str]:
    with stack.client("ft-agence-nantes") as api:
        answers = [api.post("/v1/registrations", json=person()) for _ in range(count)]
    assert [a.status_code for a in answers] == [201] * count, [a.text for a in answers if a.status_code != 201]
    return [a.json()["id"] for a in answers]


def told(broker: TestBroker, since, ids: list[str], timeout: float = 90.0) -> Counter:
    """How many times each registration's event is on the topic, once all have arrived."""
    wanted = set(ids)
    messages = broker.read(TOPIC, since, lambda ms: wanted <= {m.key.decode() for m in ms}, timeout)
    # Read a little longer: a duplicate published late would show up here.
    messages += broker.read(TOPIC, {tp: off for tp, off in broker.end_offsets(TOPIC).items()}, lambda _: False, 2)
    return Counter(m.key.decode() for m in messages if m.key.decode() in wanted)


def test_registrations_accepted_while_the_broker_is_down_arrive_once(own_broker, tmp_path):
    stack = Stack.start(own_broker, tmp_path)
    try:
        since = own_broker.end_offsets(TOPIC)
        before = register(stack, 5)
        own_broker.stop()
        during = register(stack, 20)  # the write path does not need the broker
        assert httpx.get(f"{stack.registration.url}/readyz").status_code == 503
        own_broker.start()
        counts = told(own_broker, since, before + during)
        assert counts == Counter({registration_id: 1 for registration_id in before + during})
    finally:
        stack.stop()


def test_a_crash_between_commit_and_publish_loses_nothing(own_broker, tmp_path):
    stack = Stack.start(own_broker, tmp_path, OUTBOX_RELAY_ENABLED="0")
    try:
        since = own_broker.end_offsets(TOPIC)
        ids = register(stack, 10)  # committed with their outbox rows; nothing published yet
        assert not told(own_broker, since, ids, timeout=2)
        stack.restart_registration(kill=True, OUTBOX_RELAY_ENABLED="1")  # SIGKILL, then a normal start
        assert told(own_broker, since, ids) == Counter({registration_id: 1 for registration_id in ids})
    finally:
        stack.stop()
