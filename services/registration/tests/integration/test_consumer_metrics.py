"""Consumer metrics on the real broker: once a partner's fact flows, the service's `/metrics`
shows it applied by the consumer's group and that group's lag per partition, down to zero."""
from __future__ import annotations

import copy
import json
import time
import uuid

import pytest

from services.core.idempotency import resource_id
from services.core.settings import REPO_ROOT
from tests.support.metrics import metric_value, samples

pytestmark = pytest.mark.integration

PARTNERS_TOPIC = "partners.inbound.v1"
FACT = json.loads((REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json").read_text())


def test_applied_events_and_consumer_lag_appear_once_events_flow(service, tokens, broker, consumer_prefix):
    fact = copy.deepcopy(FACT) | {"id": str(uuid.uuid4())}
    broker.produce(PARTNERS_TOPIC, fact["subject"], json.dumps(fact).encode())
    group = {"messaging_consumer_group_name": consumer_prefix + "registration.partner-facts"}
    registration = f"/v1/registrations/{resource_id('partner-fact', fact['id'])}"
    # A fresh group joins and is assigned its partitions first: on a loaded CI machine that alone
    # took more than 30 s once. The allowance is the other integration tests' (tests.support.polling).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        caught_up = service.get(registration, headers=tokens.headers("ft-agence-nantes")).status_code == 200
        exposition = service.get("/metrics").text
        lags = samples(exposition, "kafka_consumer_lag", messaging_destination_name=PARTNERS_TOPIC, **group)
        if caught_up and lags and sum(lags) == 0:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the fact was never applied, or the group's lag never reached zero")
    assert metric_value(exposition, "consumer_events_applied_total", cloudevents_event_type=FACT["type"], **group) >= 1
