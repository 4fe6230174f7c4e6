"""OpenTelemetry tracing and metrics set up, and JSON logs, shared by every service and the gateway.

The W3C `traceparent` travels over HTTP headers and Kafka headers (and in the event envelope),
so one trace follows a registration from the gateway to every consumer. Spans are exported over
OTLP when the standard `OTEL_EXPORTER_OTLP_*` variables name an endpoint. Log lines, uvicorn's
included, are JSON with a UTC millisecond timestamp, the current trace id and the request id,
so an operator can go from a log line to the whole trace and to every line of the same request.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import orjson
from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.trace import SpanKind

from services.core.metrics import setup_metrics
from services.core.otlp import otlp_exporter
from services.core.redaction import redact_nir

# Set by the request middleware; read by every line logged while the request is served.
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# Loggers uvicorn configures with handlers of its own, in plain text, before the app factory runs.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")

_configured = False


def setup_telemetry(service_name: str) -> None:
    """Install the tracer and meter providers and the JSON logs, once per process."""
    global _configured
    if _configured:
        return
    resource = Resource.create({"service.name": service_name})
    trace.set_tracer_provider(_tracer_provider(resource))
    setup_metrics(resource)
    _configure_logging(service_name)
    _configured = True


def _tracer_provider(resource: Resource) -> TracerProvider:
    """OTEL_TRACES_CONSOLE=1 prints spans; an OTLP endpoint in the environment receives them in batches."""
    provider = TracerProvider(resource=resource)
    if os.environ.get("OTEL_TRACES_CONSOLE") == "1":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(out=sys.stderr)))
    exporter = otlp_exporter("traces")
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


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


@contextmanager
def batch_span(name: str, headers: list[dict[str, str]]) -> Iterator[trace.Span]:
    """One span for events applied together, linked to each event's producer span (OpenTelemetry's
    messaging conventions for batch processing): a trace per event would cost more than its effect."""
    links = [trace.Link(context) for context in
             (trace.get_current_span(propagate.extract(each)).get_span_context() for each in headers)
             if context.is_valid]
    with tracer("platform").start_as_current_span(name, kind=SpanKind.CONSUMER, links=links) as span:
        yield span


def kafka_headers_to_dict(headers: Iterable[tuple[str, bytes]] | None) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") for k, v in (headers or []) if v is not None}


class JsonFormatter(logging.Formatter):
    def __init__(self, service_name: str) -> None:
        super().__init__()
        self.service_name = service_name

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": utc_timestamp(record.created),
            "level": record.levelname,
            "service": self.service_name,
            "logger": record.name,
            "message": redact_nir(record.getMessage()),
        }
        # A line logged after its span ended (an event applied, once committed) names its trace itself.
        trace_id = getattr(record, "trace_id", None) or current_trace_id()
        if trace_id:
            line["trace_id"] = trace_id
        current_request = request_id.get()
        if current_request:
            line["request_id"] = redact_nir(current_request)
        for key in ("client_id", "event_id", "event_type", "status", "method"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if hasattr(record, "path"):
            line["path"] = redact_nir(str(record.path))
        if record.exc_info:
            line["error"] = redact_nir(self.formatException(record.exc_info))
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return _json_line(line)


def _json_line(line: dict) -> str:
    """orjson writes a request's line in a tenth of json's time; what it refuses (an integer past 64 bits,
    a lone surrogate) goes through json. An extra JSON cannot hold is written as text, in both: a line
    that fails to format would come out plain."""
    try:
        return orjson.dumps(line, default=str).decode()
    except TypeError:
        return json.dumps(line, ensure_ascii=False, default=str)


# The last second formatted: lines come many to the second, and strftime is most of a timestamp's cost.
_last_second: tuple[int, str] = (-1, "")


def utc_timestamp(created: float) -> str:
    """RFC 3339 in UTC to the millisecond, e.g. 2026-12-06T22:41:07.123Z."""
    global _last_second
    second, prefix = _last_second
    if int(created) != second:  # one tuple, swapped whole: threads logging at once read either, never half
        second, prefix = int(created), time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
        _last_second = second, prefix
    return f"{prefix}.{int(created * 1000) % 1000:03d}Z"


def _configure_logging(service_name: str) -> None:
    # What a record gathers that the JSON line never shows: the caller's file and line (a walk up the stack),
    # thread and process. Off, as Python's logging HOWTO suggests ("Optimization"): ~3 µs of CPU per line,
    # and every request writes one (docs/performance.md, issue 10).
    logging._srcfile = None
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
    for name in UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        # `--no-access-log` leaves uvicorn.access with no handler and no propagation, and uvicorn logs a line only
        # where it finds a handler: routing it to ours would add a second access line to each request (ours
        # already says method, path, status, duration, caller and request id). What uvicorn logs goes to ours.
        logs = bool(uvicorn_logger.handlers) or uvicorn_logger.propagate
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = logs
    logging.captureWarnings(True)  # a runtime warning is a line like any other, not plain text on stderr
    for noisy in ("kafka", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
