"""`/metrics` of a service app: request durations by route template, the outbox backlog, and what
its consumers applied, parked and lag behind (Kafka doubled in memory here; the real broker in the
integration and end-to-end suites)."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from kafka import TopicPartition
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import insert, update

from services.core.app import create_service_app
from services.core.consumer import IdempotentConsumer, partition_lags
from services.core.db import Base, utcnow
from services.core.events import SchemaRegistry
from services.core.metrics import record_consumer_lag
from services.core.telemetry import current_trace_id
from services.core.outbox import OutboxMessage
from services.core.settings import REPO_ROOT, ServiceSettings
from services.core.settings import KafkaAccess
from tests.support.metrics import label_values, metric_value

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
FACT = json.loads((REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json").read_text())
DURATION_COUNT = "http_server_request_duration_seconds_count"

things = APIRouter()


@things.get("/v1/things/{thing_id}")
def read_thing(thing_id: str) -> dict:
    return {"id": thing_id, "trace_id": current_trace_id()}


@pytest.fixture
def client(tmp_path):
    settings = ServiceSettings.from_env("registration").with_(database_url=f"sqlite:///{tmp_path / 'metrics.db'}")
    app = create_service_app(settings, title="Things", description="A service of things.", routers=[things])
    Base.metadata.create_all(app.state.platform.db.engine)
    yield TestClient(app)  # no lifespan: neither relay nor consumers, only what a scrape reads
    app.state.platform.db.dispose()


def scrape(client: TestClient) -> str:
    answer = client.get("/metrics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    return answer.text


def test_a_request_is_measured_under_its_route_template_never_its_path(client):
    labels = {"http_route": "/v1/things/{thing_id}", "http_request_method": "GET", "http_response_status_code": "200"}
    before = metric_value(scrape(client), DURATION_COUNT, **labels)
    thing_id = f"thing-{uuid.uuid4()}"
    assert client.get(f"/v1/things/{thing_id}").status_code == 200
    assert client.get(f"/unknown/{thing_id}").status_code == 404
    exposition = scrape(client)
    assert metric_value(exposition, DURATION_COUNT, **labels) == before + 1
    assert thing_id not in exposition  # neither as a route nor in any other label
    assert "" in label_values(exposition, DURATION_COUNT, "http_route")  # the unmatched path's fixed label


@pytest.fixture
def spans():
    """What the process's tracer provider (set up by the app) ends, from now on."""
    exporter = InMemorySpanExporter()
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()  # the processor stays on the process's provider; it exports nothing any more


def test_a_request_is_served_in_a_server_span_continuing_the_callers_trace(client, spans):
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    answer = client.get("/v1/things/a", headers={"traceparent": f"00-{trace_id}-{parent_id}-01"})
    assert answer.json()["trace_id"] == trace_id  # current while the endpoint runs: its logs and outbox rows
    assert client.get("/unknown/b").status_code == 404
    served, unmatched = [span for span in spans.get_finished_spans() if span.kind is SpanKind.SERVER]
    assert served.name == "GET /v1/things/{thing_id}"
    assert format(served.context.trace_id, "032x") == trace_id and format(served.parent.span_id, "016x") == parent_id
    assert {key: served.attributes[key] for key in ("http.route", "http.request.method", "http.response.status_code")} \
        == {"http.route": "/v1/things/{thing_id}", "http.request.method": "GET", "http.response.status_code": 200}
    assert unmatched.name == "GET" and "http.route" not in unmatched.attributes and unmatched.parent is None


def test_a_caller_whose_trace_is_not_sampled_is_served_without_a_recorded_span(client, spans):
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    answer = client.get("/v1/things/a", headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-00"})
    assert answer.status_code == 200 and answer.json()["trace_id"] == trace_id  # the trace still goes on
    assert not [span for span in spans.get_finished_spans() if span.kind is SpanKind.SERVER]


def test_the_request_id_is_continued_or_minted_and_returned(client):
    assert client.get("/v1/things/a", headers={"X-Request-Id": "from-the-caller"}).headers["x-request-id"] == \
        "from-the-caller"
    assert len(client.get("/v1/things/a").headers["x-request-id"]) == 36
    assert client.post("/v1/things/a", content=b"x" * 2_000_000).headers["x-request-id"]  # a 413 has one too


def test_metrics_are_not_part_of_the_published_contract(client):
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def add_unpublished(client: TestClient, waited: timedelta) -> None:
    with client.app.state.platform.db.transaction() as session:
        session.execute(insert(OutboxMessage.__table__), [{
            "event_id": str(uuid.uuid4()), "topic": "partners.inbound.v1", "key": "s", "event_type": FACT["type"],
            "payload": b"{}", "traceparent": None, "created_at": utcnow() - waited}])


def test_the_outbox_backlog_counts_unpublished_rows_and_ages_the_oldest(client):
    assert metric_value(scrape(client), "outbox_backlog_rows") == 0
    assert metric_value(scrape(client), "outbox_backlog_oldest_age_seconds") == 0
    add_unpublished(client, timedelta(hours=1))
    add_unpublished(client, timedelta(0))
    exposition = scrape(client)
    assert metric_value(exposition, "outbox_backlog_rows") == 2
    assert metric_value(exposition, "outbox_backlog_oldest_age_seconds") >= 3600
    with client.app.state.platform.db.transaction() as session:
        session.execute(update(OutboxMessage).values(published_at=utcnow()))
    assert metric_value(scrape(client), "outbox_backlog_rows") == 0


class FakeDlqProducer:
    class Sent:
        def get(self, timeout=None):
            return None

    def send(self, topic, key=None, value=None, headers=None):
        return self.Sent()

    def close(self, timeout=None):
        pass


def test_events_applied_and_parked_are_counted_by_consumer_and_type(client):
    group = f"metrics-{uuid.uuid4().hex[:8]}"
    consumer = IdempotentConsumer(group, client.app.state.platform.db, SCHEMAS, KafkaAccess("unused:9092"),
                                  {FACT["type"]: lambda session, event: None}, ["partners.inbound.v1"],
                                  dlq_producer_factory=FakeDlqProducer)
    raw = json.dumps(FACT).encode()
    consumer.process(raw, {})
    consumer.process(raw, {})  # a re-delivery applies nothing, so counts nothing
    consumer.process(b"[1, 2]", {})
    exposition = scrape(client)
    assert metric_value(exposition, "consumer_events_applied_total", messaging_consumer_group_name=group,
                        cloudevents_event_type=FACT["type"]) == 1
    assert metric_value(exposition, "consumer_events_dead_lettered_total", messaging_consumer_group_name=group,
                        cloudevents_event_type="unparseable") == 1


class FakeKafkaConsumer:
    """What the consumer thread knows without asking the broker: positions and last fetched ends."""

    def __init__(self, positions: dict[TopicPartition, int], ends: dict[TopicPartition, int | None]) -> None:
        self.positions, self.ends = positions, ends

    def assignment(self):
        return set(self.positions)

    def highwater(self, tp):
        return self.ends[tp]

    def position(self, tp, timeout_ms=None):
        return self.positions[tp]


def test_consumer_lag_is_what_its_thread_last_reported_by_partition(client):
    group = f"lag-{uuid.uuid4().hex[:8]}"
    fetched, not_yet = TopicPartition("registration.persons.v1", 0), TopicPartition("registration.persons.v1", 1)
    lags = partition_lags(FakeKafkaConsumer({fetched: 40, not_yet: 0}, {fetched: 52, not_yet: None}))
    assert lags == {("registration.persons.v1", 0): 12}
    record_consumer_lag(group, lags)
    exposition = scrape(client)
    assert metric_value(exposition, "kafka_consumer_lag", messaging_consumer_group_name=group,
                        messaging_destination_name="registration.persons.v1",
                        messaging_destination_partition_id="0") == 12
    record_consumer_lag(group, {})  # a stopped consumer reports nothing any more
    assert group not in scrape(client)
