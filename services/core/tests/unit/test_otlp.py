"""Spans and metrics go over OTLP only when the standard environment names an endpoint, over
the protocol it names (http/protobuf by default, as the specification says)."""
from __future__ import annotations

import pytest

from services.core.otlp import otlp_exporter

OTLP_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
                  "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL")


@pytest.fixture(autouse=True)
def no_otlp_environment(monkeypatch):
    for name in OTLP_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_nothing_is_exported_without_an_endpoint():
    assert otlp_exporter("traces") is None and otlp_exporter("metrics") is None


def test_the_shared_endpoint_exports_both_signals_over_http_by_default(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    assert type(otlp_exporter("traces")).__module__ == "opentelemetry.exporter.otlp.proto.http.trace_exporter"
    assert type(otlp_exporter("metrics")).__module__ == "opentelemetry.exporter.otlp.proto.http.metric_exporter"


def test_a_signal_of_its_own_endpoint_and_protocol(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://collector:4317")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "grpc")
    assert otlp_exporter("traces") is None
    assert type(otlp_exporter("metrics")).__module__ == "opentelemetry.exporter.otlp.proto.grpc.metric_exporter"


def test_an_unsupported_protocol_stops_the_start(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")
    with pytest.raises(ValueError, match="http/json"):
        otlp_exporter("traces")
