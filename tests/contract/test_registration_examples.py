"""The registration API's documented examples work as they are, in order, through the gateway."""
from __future__ import annotations

import json
import time

import httpx
import pytest
from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition

from services.core.inbound import PARTNERS_INBOUND
from services.core.settings import REPO_ROOT
from services.registration.api import examples
from tests.contract.documented import send_example
from tests.support.contracts import committed
from tests.support.kafka import unique_prefix
from tests.support.stack import Stack

AGENCY = "ft-agence-nantes"
CONTRACT = committed("registration")
DEMO_FACT = REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json"
PARTNERS_TOPIC = PARTNERS_INBOUND.address
FACTS_CONSUMER = "registration.partner-facts"  # the consumer of services/registration/consumers.py


def skip_earlier_facts(broker, group_prefix: str) -> None:
    """Start the service's partner-facts consumer at the end of the topic: the examples describe a
    platform that has seen the demo fact only, not the facts other tests left on the shared broker."""
    consumer = KafkaConsumer(**broker.config, group_id=group_prefix + FACTS_CONSUMER,
                             enable_auto_commit=False)
    try:
        partitions = [TopicPartition(PARTNERS_TOPIC, p) for p in consumer.partitions_for_topic(PARTNERS_TOPIC)]
        consumer.commit({tp: OffsetAndMetadata(end, None, -1) for tp, end in consumer.end_offsets(partitions).items()})
    finally:
        consumer.close()


def wait_until_readable(api: httpx.Client, registration_id: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while api.get(f"/v1/registrations/{registration_id}").status_code != 200:
        assert time.monotonic() < deadline, f"{registration_id} never appeared"
        time.sleep(0.3)


@pytest.mark.e2e
def test_the_documented_examples_work_as_they_are(broker, tmp_path):
    # Its own platform: the examples' fixed ids must not meet another test's data.
    group_prefix = unique_prefix()
    skip_earlier_facts(broker, group_prefix)
    stack = Stack.start(broker, tmp_path, CONSUMER_GROUP_PREFIX=group_prefix)
    try:
        with stack.client(AGENCY) as api:
            send_example(api, CONTRACT, "post", "/v1/registrations")
            send_example(api, CONTRACT, "get", "/v1/registrations/{registration_id}")
            send_example(api, CONTRACT, "get", "/v1/registrations")
            send_example(api, CONTRACT, "patch", "/v1/registrations/{registration_id}")
            fact = DEMO_FACT.read_bytes()
            broker.produce(PARTNERS_TOPIC, json.loads(fact)["subject"], fact)
            wait_until_readable(api, examples.EXAMPLE_PRE_REGISTRATION_ID)
            send_example(api, CONTRACT, "post", "/v1/registrations/{registration_id}/confirm")
    finally:
        stack.stop()
