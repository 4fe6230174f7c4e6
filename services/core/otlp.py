"""The OTLP exporter a signal gets from the standard `OTEL_EXPORTER_OTLP_*` environment, if any.

The exporters read their own endpoint, headers, timeout and certificates from that environment;
this module only decides whether to export at all and over which protocol.
"""
from __future__ import annotations

import importlib
import os
from typing import Any

# Imported only when asked for: the gRPC stack is slow to import and most processes export nothing.
_EXPORTERS = {
    ("traces", "grpc"): ("opentelemetry.exporter.otlp.proto.grpc.trace_exporter", "OTLPSpanExporter"),
    ("traces", "http/protobuf"): ("opentelemetry.exporter.otlp.proto.http.trace_exporter", "OTLPSpanExporter"),
    ("metrics", "grpc"): ("opentelemetry.exporter.otlp.proto.grpc.metric_exporter", "OTLPMetricExporter"),
    ("metrics", "http/protobuf"): ("opentelemetry.exporter.otlp.proto.http.metric_exporter", "OTLPMetricExporter"),
}
# The specification's default; the Python SDK's own autoconfiguration would pick gRPC.
DEFAULT_PROTOCOL = "http/protobuf"


def otlp_exporter(signal: str) -> Any | None:
    """The exporter of `signal` ("traces" or "metrics") when an endpoint is set for it, else None."""
    specific = f"OTEL_EXPORTER_OTLP_{signal.upper()}_"
    if not (os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(specific + "ENDPOINT")):
        return None
    protocol = os.environ.get(specific + "PROTOCOL") or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL") or DEFAULT_PROTOCOL
    if (signal, protocol) not in _EXPORTERS:
        raise ValueError(f"OTLP protocol {protocol!r} is not supported for {signal}: use grpc or http/protobuf")
    module, name = _EXPORTERS[(signal, protocol)]
    return getattr(importlib.import_module(module), name)()
