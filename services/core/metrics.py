"""Metrics through the OpenTelemetry SDK: scraped by Prometheus at `/metrics` on every process,
and pushed over OTLP as well when the standard `OTEL_EXPORTER_OTLP_*` variables name an endpoint.

`http.server.request.duration` (by route template, method and status) is recorded by the request
middleware (services/core/request_context.py). The platform's instruments are created at import time from the
API's global meter, which forwards to the SDK provider once `setup_metrics` has installed it (and
does nothing before, as in unit tests of a consumer alone). Names and attributes follow the
OpenTelemetry semantic conventions where they exist. Attribute values come from bounded sets only
(event types, topics, registered clients): a caller-chosen value would make one series per call.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Protocol

from fastapi import APIRouter, Response
from opentelemetry import metrics
from opentelemetry.exporter.prometheus import PrometheusMetricReader
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import AlwaysOffExemplarFilter, MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from services.core.otlp import otlp_exporter

meter = metrics.get_meter("platform")

# OpenTelemetry's HTTP server buckets (seconds), as FastAPI's native telemetry had them.
_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
_request_duration = meter.create_histogram(
    "http.server.request.duration", unit="s", description="Duration of HTTP server requests.",
    explicit_bucket_boundaries_advisory=_DURATION_BUCKETS)
_events_applied = meter.create_counter(
    "consumer.events.applied", unit="{event}", description="Events whose effects a consumer committed.")
_events_dead_lettered = meter.create_counter(
    "consumer.events.dead_lettered", unit="{event}", description="Events a consumer parked on the DLQ.")


class Backlog(Protocol):
    rows: int
    oldest_age_seconds: float


_outbox_backlog: Callable[[], Backlog] | None = None
_consumer_lags: dict[str, dict[tuple[str, int], int]] = {}
_consumer_lags_lock = threading.Lock()


def setup_metrics(resource: Resource) -> None:
    """Install the process's meter provider; call once (the global provider cannot be replaced)."""
    readers = [PrometheusMetricReader(scope_info_enabled=False)]
    exporter = otlp_exporter("metrics")
    if exporter is not None:
        readers.append(PeriodicExportingMetricReader(exporter))
    # No exemplars unless asked for (OTEL_METRICS_EXEMPLAR_FILTER): the Prometheus text format carries none, and
    # sampling one for every request's duration cost ~3.5 µs of CPU per request (docs/performance.md, issue 10).
    exemplars = None if os.environ.get("OTEL_METRICS_EXEMPLAR_FILTER") else AlwaysOffExemplarFilter()
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers, exemplar_filter=exemplars))


def metrics_router() -> APIRouter:
    router = APIRouter()

    # Synchronous, so it runs in the thread pool: a scrape reads the outbox table.
    @router.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return router


def record_request_duration(seconds: float, attributes: dict[str, str | int]) -> None:
    _request_duration.record(seconds, attributes)


def count_applied(consumer: str, event_type: str, events: int = 1) -> None:
    """`events`: a run's events of the type at once; an `add` per event was a tenth of a replay."""
    _events_applied.add(events, {"messaging.consumer.group.name": consumer, "cloudevents.event_type": event_type})


def count_dead_lettered(consumer: str, event_type: str) -> None:
    _events_dead_lettered.add(1, {"messaging.consumer.group.name": consumer, "cloudevents.event_type": event_type})


def observe_outbox_backlog(read: Callable[[], Backlog]) -> None:
    """The service's outbox, read at each collection (one service app per process)."""
    global _outbox_backlog
    _outbox_backlog = read


def record_consumer_lag(consumer: str, lags: dict[tuple[str, int], int]) -> None:
    """The consumer thread's latest lag by (topic, partition), replacing its previous report, so a
    scrape reads memory rather than asking the broker."""
    with _consumer_lags_lock:
        if lags:
            _consumer_lags[consumer] = lags
        else:
            _consumer_lags.pop(consumer, None)


def _outbox_rows(_: CallbackOptions) -> Iterator[Observation]:
    if _outbox_backlog is not None:
        yield Observation(_outbox_backlog().rows)


def _outbox_oldest_age(_: CallbackOptions) -> Iterator[Observation]:
    if _outbox_backlog is not None:
        yield Observation(_outbox_backlog().oldest_age_seconds)


def consumer_lag(consumer: str) -> int | None:
    """A consumer's latest lag summed over its partitions (what a published export says of its data's
    freshness); None before its first report."""
    with _consumer_lags_lock:
        lags = _consumer_lags.get(consumer)
    return sum(lags.values()) if lags else None


def _consumer_lag(_: CallbackOptions) -> Iterator[Observation]:
    with _consumer_lags_lock:
        reports = list(_consumer_lags.items())
    for consumer, lags in reports:
        for (topic, partition), lag in lags.items():
            yield Observation(lag, {"messaging.consumer.group.name": consumer, "messaging.destination.name": topic,
                                    "messaging.destination.partition.id": str(partition)})


meter.create_observable_gauge(
    "outbox.backlog.rows", [_outbox_rows], unit="{row}", description="Outbox rows not yet published.")
meter.create_observable_gauge(
    "outbox.backlog.oldest_age", [_outbox_oldest_age], unit="s",
    description="How long the oldest unpublished outbox row has waited (0 when none waits).")
meter.create_observable_gauge(
    "kafka.consumer.lag", [_consumer_lag], unit="{message}",
    description="Messages between a consumer group's position and the partition's end.")
