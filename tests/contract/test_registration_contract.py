"""The registration API's published contract: it is what runs, its examples work, and the API keeps
to it under generated requests (schemathesis) through the gateway, with a real token."""
from __future__ import annotations

import json
import time
from collections import defaultdict
from typing import Any

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition

from gateway.docs import published_contract
from gateway.routing import ROUTES
from services.core.settings import REPO_ROOT
from services.registration.api import examples
from services.registration.consumers import PARTNERS_TOPIC
from tests.support.contracts import contract_path, diff, render
from tests.support.kafka import unique_prefix
from tests.support.stack import Stack

AGENCY = "ft-agence-nantes"
ROUTE = next(route for route in ROUTES if route.service == "registration")
CONTRACT_FILE = contract_path("registration")
CONTRACT = yaml.safe_load(CONTRACT_FILE.read_text(encoding="utf-8"))
OPERATIONS = [(method, path) for path, operations in CONTRACT["paths"].items() if path.startswith("/v1/")
              for method in operations]
DEMO_FACT = REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json"
FACTS_CONSUMER = "registration.partner-facts"  # the consumer of services/registration/consumers.py
# Generated requests per operation (fuzzing phase): the whole schemathesis run takes ~20 s on 2 cores.
MAX_EXAMPLES = 100


def operation(method: str, path: str) -> dict[str, Any]:
    return CONTRACT["paths"][path][method]


def parameter_example(parameter: dict[str, Any]) -> Any | None:
    """FastAPI writes `examples=[…]` into the parameter's schema; OpenAPI also allows them on it."""
    if "example" in parameter:
        return parameter["example"]
    if parameter.get("examples"):
        return next(iter(parameter["examples"].values()))["value"]
    return (parameter.get("schema", {}).get("examples") or [None])[0]


def body_example(op: dict[str, Any]) -> Any | None:
    documented = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("examples") or {}
    return next(iter(documented.values()))["value"] if documented else None


def success(op: dict[str, Any]) -> tuple[int, Any | None]:
    """The documented success status and its response example."""
    status = next(code for code in op["responses"] if code.startswith("2"))
    return int(status), op["responses"][status].get("content", {}).get("application/json", {}).get("example")


def key_paths(value: Any, prefix: str = "") -> set[str]:
    """Every key of a JSON document as a dotted path (list items merged under `[]`), values aside.
    Keys holding null are left out: FastAPI drops null values from the examples it publishes."""
    if isinstance(value, dict):
        return {path for key, item in value.items() if item is not None
                for path in {prefix + key} | key_paths(item, f"{prefix}{key}.")}
    if isinstance(value, list):
        return set().union(*(key_paths(item, f"{prefix}[].") for item in value))
    return set()


@pytest.mark.e2e
def test_the_running_service_publishes_the_committed_contract(stack):
    running = published_contract(httpx.get(f"{stack.registration.url}/openapi.json").json(), ROUTE)
    assert running == CONTRACT, (
        "The registration API differs from contracts-openapi/registration.v1.yaml: run `make contracts` "
        "and review the diff.\n" + diff(render(CONTRACT), render(running), CONTRACT_FILE.name))


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_every_operation_documents_a_request_and_a_response_example(method, path):
    op = operation(method, path)
    parameters = op.get("parameters", [])
    assert all(parameter_example(p) is not None for p in parameters if p.get("required")), "required parameter"
    if "requestBody" in op:
        assert body_example(op) is not None, "no request body example"
    else:
        assert any(parameter_example(p) is not None for p in parameters), "no parameter example"
    status, example = success(op)
    assert example is not None, f"no example for the {status} response"


def documented_parameters(op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The operation's parameter examples by place: {"path": {...}, "query": {...}, "header": {...}}."""
    places: dict[str, dict[str, Any]] = defaultdict(dict)
    for parameter in op.get("parameters", []):
        if (value := parameter_example(parameter)) is not None:
            places[parameter["in"]][parameter["name"]] = value
    return places


def send_example(api: httpx.Client, method: str, path: str) -> None:
    """Send the operation's documented example as it is; the answer has the documented status and shape."""
    op = operation(method, path)
    parameters = documented_parameters(op)
    url = path.format(**parameters["path"])
    answer = api.request(method.upper(), url, params=parameters["query"], headers=parameters["header"],
                         json=body_example(op))
    status, example = success(op)
    assert answer.status_code == status, f"{method.upper()} {url}: {answer.text}"
    assert key_paths(answer.json()) == key_paths(example), f"{method.upper()} {url}: the body differs from the example"


def skip_earlier_facts(broker, group_prefix: str) -> None:
    """Start the service's partner-facts consumer at the end of the topic: the examples describe a
    platform that has seen the demo fact only, not the facts other tests left on the shared broker."""
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=group_prefix + FACTS_CONSUMER,
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
            send_example(api, "post", "/v1/registrations")
            send_example(api, "get", "/v1/registrations/{registration_id}")
            send_example(api, "get", "/v1/registrations")
            send_example(api, "patch", "/v1/registrations/{registration_id}")
            fact = DEMO_FACT.read_bytes()
            broker.produce(PARTNERS_TOPIC, json.loads(fact)["subject"], fact)
            wait_until_readable(api, examples.EXAMPLE_PRE_REGISTRATION_ID)
            send_example(api, "post", "/v1/registrations/{registration_id}/confirm")
    finally:
        stack.stop()


# Loaded eagerly: schemathesis' lazy `from_fixture` loader reads pytest's private `_nodeid`, gone in pytest 9.
published_api = schemathesis.openapi.from_path(CONTRACT_FILE)
published_api.config.generation.update(max_examples=MAX_EXAMPLES)
# Schema-valid is not always acceptable: no schema knows which INSEE codes exist, what an opaque cursor
# holds or a resource's current ETag, so such requests are rightly refused (422, 412).
published_api.config.checks.update(excluded_check_names=["positive_data_acceptance"])


@pytest.mark.e2e
@published_api.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_api_keeps_to_its_contract_under_generated_requests(case, stack):
    """Through the shared platform's gateway, with the demo agency's real token."""
    case.call_and_validate(base_url=stack.url, headers={"Authorization": f"Bearer {stack.token(AGENCY)}"})
