"""OpenTelemetry tracing and JSON logs, shared by every service and the gateway.

The W3C `traceparent` travels over HTTP headers and Kafka headers (and in the event envelope),
so one trace follows a registration from the gateway to every consumer. Log lines are JSON and
carry the current trace id, so an operator can go from a log line to the whole trace.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.trace import SpanKind

_configured = False


def setup_telemetry(service_name: str) -> None:
    """Install the tracer provider once per process; OTEL_TRACES_CONSOLE=1 prints spans."""
    global _configured
    if _configured:
        return
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if os.environ.get("OTEL_TRACES_CONSOLE") == "1":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=sys.stderr)))
    trace.set_tracer_provider(provider)
    _configure_logging(service_name)
    _configured = True


@lru_cache(maxsize=None)
def tracer(name: str) -> trace.Tracer:
    """One per name: a tracer is cheap to use but not to create (every consumed event asks)."""
    return trace.get_tracer(name)


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


@contextmanager
def span_from_headers(name: str, headers: dict[str, str], kind: SpanKind) -> Iterator[trace.Span]:
    """Continue the caller's trace (HTTP request or Kafka message) in a new span."""
    parent = propagate.extract(headers)
    token = context.attach(parent)
    try:
        with tracer("platform").start_as_current_span(name, kind=kind) as span:
            yield span
    finally:
        context.detach(token)


def kafka_headers_to_dict(headers: Iterable[tuple[str, bytes]] | None) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") for k, v in (headers or []) if v is not None}


class JsonFormatter(logging.Formatter):
    def __init__(self, service_name: str) -> None:
        super().__init__()
        self.service_name = service_name

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "service": self.service_name,
            "logger": record.name,
            "message": record.getMessage(),
        }
        trace_id = current_trace_id()
        if trace_id:
            line["trace_id"] = trace_id
        for key in ("request_id", "client_id", "event_id", "event_type", "status", "path", "method"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _configure_logging(service_name: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
    for noisy in ("kafka", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
