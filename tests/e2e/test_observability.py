"""Every process of the platform serves its metrics and writes only JSON lines, uvicorn's included;
a registration through the gateway is traced end to end in the metrics of both hops."""
from __future__ import annotations

import json
import re

import httpx
import pytest

from services.registration.published import PERSON_HEALTH
from services.registration.tests.builders import person
from tests.support.metrics import label_values, metric_value, samples
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e

UTC_MILLISECONDS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
DURATION_COUNT = "http_server_request_duration_seconds_count"


def processes(stack) -> dict:
    return {**stack.services, "gateway": stack.gateway}


def test_every_process_serves_its_own_metrics(stack):
    for name, process in processes(stack).items():
        answer = httpx.get(f"{process.url}/metrics", timeout=10)
        assert answer.status_code == 200, name
        assert answer.headers["content-type"].startswith("text/plain"), name
        service = "gateway" if name == "gateway" else name.split("-")[0]  # a worker reports its service
        assert label_values(answer.text, "target_info", "service_name") == {service}, name


def test_a_registration_is_measured_by_route_template_on_the_gateway_and_the_service(stack):
    with stack.client("ft-agence-nantes") as api:
        created = api.post("/v1/registrations", json=person())
        assert created.status_code == 201, created.text
    gateway = httpx.get(f"{stack.url}/metrics").text
    service = httpx.get(f"{stack.registration.url}/metrics").text
    assert metric_value(gateway, DURATION_COUNT, http_route="/oauth/token", http_response_status_code="200") >= 1
    assert metric_value(gateway, DURATION_COUNT, http_route="/v1/{path}", http_request_method="POST") >= 1
    assert metric_value(service, DURATION_COUNT, http_route="/v1/registrations", http_request_method="POST",
                        http_response_status_code="201") >= 1
    assert created.json()["id"] not in gateway + service
    assert samples(service, "outbox_backlog_rows") and samples(service, "outbox_backlog_oldest_age_seconds")


def test_orientation_shows_the_registered_events_it_applied_and_its_lag(stack):
    with stack.client("ft-agence-nantes") as api:
        assert api.post("/v1/registrations", json=person()).status_code == 201

    def applied_and_caught_up(answer: httpx.Response) -> bool:
        lags = samples(answer.text, "kafka_consumer_lag", messaging_destination_name=PERSON_HEALTH.topic.address)
        return bool(lags) and sum(lags) == 0 and metric_value(
            answer.text, "consumer_events_applied_total", cloudevents_event_type=PERSON_HEALTH.name) >= 1

    eventually(lambda: httpx.get(f"{stack.services['orientation'].url}/metrics"), applied_and_caught_up)


def test_every_log_line_of_every_process_is_json_with_utc_milliseconds(stack):
    for name, process in processes(stack).items():
        lines = []
        written = process.log_path.read_text()
        # The processes are still running: a line being written as the file is read is not complete yet.
        complete = written[:written.rfind("\n") + 1]
        # Lines end at "\n" only: a logged path may hold U+2028 or \x85, which splitlines() would split.
        for number, text in enumerate(complete.split("\n")[:-1], 1):
            try:
                lines.append(json.loads(text))
            except ValueError as exc:
                raise AssertionError(f"{name} log line {number} is not JSON: {text[:300]!r}") from exc
        assert all(UTC_MILLISECONDS.fullmatch(line["time"]) for line in lines), name
        assert any(line["logger"] == "uvicorn.error" for line in lines), name  # uvicorn's own, as JSON
