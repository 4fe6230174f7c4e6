"""Every log line is one JSON object: UTC time to the millisecond, trace id, request id, and a
traceback as a field; uvicorn's own loggers go through the same handler."""
from __future__ import annotations

import json
import logging
import logging.config
from contextvars import copy_context

import pytest
from opentelemetry.sdk.trace import TracerProvider
from uvicorn.config import LOGGING_CONFIG

from services.core.telemetry import UVICORN_LOGGERS, JsonFormatter, _configure_logging, request_id, utc_timestamp


def record(message: str = "hello", **attributes) -> logging.LogRecord:
    line = logging.LogRecord("core.test", logging.INFO, __file__, 1, message, None, None)
    line.__dict__.update(attributes)
    return line


def formatted(line: logging.LogRecord) -> dict:
    text = JsonFormatter("registration").format(line)
    assert "\n" not in text  # one line per record, whatever it carries
    return json.loads(text)


def test_the_time_is_utc_to_the_millisecond():
    assert utc_timestamp(1796596867.1239) == "2026-12-06T22:41:07.123Z"
    assert utc_timestamp(1796596867.9999) == "2026-12-06T22:41:07.999Z"
    assert utc_timestamp(1796596868.0) == "2026-12-06T22:41:08.000Z"  # the next second, past the one remembered
    assert utc_timestamp(1796596867.25) == "2026-12-06T22:41:07.250Z"  # and a late line of the one before
    line = record()
    line.created = 1796596867.5
    assert formatted(line)["time"] == "2026-12-06T22:41:07.500Z"


def test_a_line_logged_while_serving_a_request_names_the_request_and_the_trace():
    def during_a_request() -> dict:
        request_id.set("req-42")
        with TracerProvider().get_tracer("test").start_as_current_span("GET /v1/things/{thing_id}") as span:
            line = formatted(record())
            return line | {"expected_trace": format(span.get_span_context().trace_id, "032x")}

    line = copy_context().run(during_a_request)
    assert line["request_id"] == "req-42" and line["trace_id"] == line["expected_trace"]
    assert line["service"] == "registration" and line["level"] == "INFO" and line["message"] == "hello"
    outside = formatted(record())
    assert "request_id" not in outside and "trace_id" not in outside


def test_an_extra_json_cannot_hold_natively_is_written_as_text():
    line = formatted(record("évolution", client_id=2**70, event_type=object, status=200))
    assert line["client_id"] == 2**70 and line["event_type"] == str(object) and line["status"] == 200
    assert line["message"] == "évolution"


def test_an_explicit_trace_id_wins_over_the_current_one():
    assert formatted(record(trace_id="0af7651916cd43dd8448eb211c80319c"))["trace_id"] == "0af7651916cd43dd8448eb211c80319c"


def test_a_traceback_is_a_field_of_the_line():
    try:
        1 / 0
    except ZeroDivisionError:
        line = logging.LogRecord("core.test", logging.ERROR, __file__, 1, "failed", None, __import__("sys").exc_info())
    body = formatted(line)
    assert body["message"] == "failed"
    assert body["error"].startswith("Traceback") and "ZeroDivisionError" in body["error"]


@pytest.fixture
def uvicorn_configured_first():
    """Loggers as uvicorn leaves them before calling the app factory; everything restored after."""
    root = logging.getLogger()
    saved_root = (root.handlers[:], root.level)
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate,
                    logging.getLogger(name).level) for name in UVICORN_LOGGERS}
    logging.config.dictConfig(LOGGING_CONFIG)
    yield
    logging.captureWarnings(False)
    root.handlers[:], level = saved_root
    root.setLevel(level)
    for name, (handlers, propagate, level) in saved.items():
        logging.getLogger(name).handlers[:] = handlers
        logging.getLogger(name).propagate = propagate
        logging.getLogger(name).setLevel(level)


def test_uvicorn_lines_and_their_tracebacks_come_out_as_json(uvicorn_configured_first, capsys):
    _configure_logging("gateway")
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 1234)
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/healthz", "1.1", 200)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    lines = [json.loads(text) for text in capsys.readouterr().err.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [
        ("uvicorn.error", "Started server process [1234]"),
        ("uvicorn.access", '127.0.0.1:5000 - "GET /healthz HTTP/1.1" 200'),
        ("uvicorn.error", "Exception in ASGI application"),
    ]
    assert "RuntimeError: boom" in lines[2]["error"] and all(line["service"] == "gateway" for line in lines)


def test_uvicorn_access_log_switched_off_stays_off(uvicorn_configured_first, capsys):
    """`--no-access-log`, as every process is served (services/core/serving.py): one access line per request, ours."""
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False  # what uvicorn's Config does for --no-access-log
    _configure_logging("registration")
    assert not access.hasHandlers()  # uvicorn's protocol asks this before logging each request
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 1234)
    lines = [json.loads(text) for text in capsys.readouterr().err.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [("uvicorn.error", "Started server process [1234]")]
