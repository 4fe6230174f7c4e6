"""What a hostile or careless client sends at the HTTP edge of every service gets a 4xx problem+json
(issue 9, findings 4 and 7): JSON nested past the stack, a streamed body over the limit, a request
id that is not a plain token; and NIRs placed in URLs never reach a log line."""
from __future__ import annotations

import json
import logging
import socket

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel

from gateway.tests.conftest import uvicorn_server
from services.core.http import BodySizeLimit
from services.core.problems import install_problem_handlers
from services.core.request_context import RequestContext
from services.core.telemetry import JsonFormatter, request_id

LIMIT = 1000


class Anything(BaseModel):
    value: object = None


def edge_app(limit: int = LIMIT) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=limit)
    app.add_middleware(RequestContext)

    @app.post("/model")
    def model(body: Anything) -> dict:
        return {"ok": True}

    @app.post("/by-hand")
    async def by_hand(request: Request) -> dict:  # as a route choosing among formats reads its body
        document = json.loads(await request.body())
        return {"kind": type(document).__name__}

    @app.post("/stream")
    async def stream(request: Request) -> dict:
        return {"size": sum([len(chunk) async for chunk in request.stream()])}

    return app


def assert_problem(answer: httpx.Response, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    return answer.json()


@pytest.mark.parametrize("path", ["/model", "/by-hand"])
@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"a":', "}"), ('{"value":[', "]}")])
def test_json_nested_past_the_stack_is_a_4xx_naming_the_body(path, opening, closing):
    deep = opening * 100_000 + "1" + closing * 100_000
    answer = TestClient(edge_app(limit=len(deep))).post(path, content=deep, headers={"Content-Type": "application/json"})
    assert answer.status_code in (400, 422), answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.status_code == 400 or [error["field"] for error in answer.json()["errors"]] == ["body"]


def chunked(size: int, chunk: int = 300):
    sent = 0
    while sent < size:
        yield b"x" * min(chunk, size - sent)
        sent += chunk


@pytest.mark.parametrize("path", ["/model", "/by-hand", "/stream"])
def test_a_streamed_body_over_the_limit_is_413_on_a_real_server(path):
    with uvicorn_server(edge_app()) as url:
        answer = httpx.post(url + path, content=chunked(5 * LIMIT), headers={"Content-Type": "application/json"})
        assert_problem(answer, 413)
        assert answer.headers["connection"] == "close"
        # Under the limit, the same stream goes through.
        assert httpx.post(url + "/stream", content=chunked(LIMIT - 1)).json() == {"size": LIMIT - 1}


def test_a_chunked_body_over_the_limit_over_a_raw_socket_is_413_then_closed():
    with uvicorn_server(edge_app()) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            chunk = b"x" * 512
            sock.sendall(b"POST /stream HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n"
                         + (b"200\r\n" + chunk + b"\r\n") * 4)
            answer = b""
            while data := sock.recv(65536):
                answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"content-type: application/problem+json" in head.lower()
    assert json.loads(body)["status"] == 413


@pytest.mark.parametrize("given", ["caf\xe9-42", "a b", "x" * 201, "", "\x7f"])
def test_a_request_id_that_is_not_a_plain_token_is_replaced(given):
    answer = TestClient(edge_app()).post("/stream", content=b"", headers={"X-Request-Id": given.encode("latin-1")})
    assert answer.status_code == 200
    assert answer.headers["X-Request-Id"] != given and len(answer.headers["X-Request-Id"]) == 36


def test_a_plain_request_id_is_continued():
    answer = TestClient(edge_app()).post("/stream", content=b"", headers={"X-Request-Id": "req-42.a_b"})
    assert answer.headers["X-Request-Id"] == "req-42.a_b"


NIRS = ["185057800608436", "1 85 05 78 006 084 36", "1%2085%2005%2078%20006%20084%2036", "285052A00608436",
        "2 85 05 2B 006 084 36", "1+85+05+78+006+084+36", "1.85.05.78.006.084.36", "7-85-05-78-006-084-36"]


@pytest.mark.parametrize("nir", NIRS)
def test_a_nir_in_a_logged_path_url_message_or_traceback_comes_out_redacted(nir):
    formatter = JsonFormatter("test")
    token = request_id.set(f"rid-{nir}")
    try:
        try:
            raise ValueError(f"bad segment /v1/registrations/{nir}")
        except ValueError as exc:
            error = (ValueError, exc, exc.__traceback__)
        record = logging.LogRecord("access", logging.WARNING, __file__, 1, "upstream unavailable %s",
                                   (f"http://127.0.0.1:8001/v1/registrations/{nir}?nir={nir}",), error)
        record.path = f"/v1/registrations/{nir}/history"
        line = formatter.format(record)
    finally:
        request_id.reset(token)
    assert nir not in line and nir.replace("%20", " ") not in line
    logged = json.loads(line)
    assert logged["path"] == "/v1/registrations/[nir]/history"
    assert logged["message"] == "upstream unavailable http://127.0.0.1:8001/v1/registrations/[nir]?nir=[nir]"
    assert "[nir]" in logged["error"] and logged["request_id"] == "rid-[nir]"


@pytest.mark.parametrize("text", ["/v1/offers?siret=44781234800012", "/v1/registrations/7aaaa4d7-9506-5369-9a71-ba618968b44f",
                                  "2026-12-06T22:41:07.123Z", "/v1/x/1850578006084361"])
def test_what_is_not_nir_shaped_is_logged_as_is(text):
    record = logging.LogRecord("access", logging.INFO, __file__, 1, "%s", (text,), None)
    assert json.loads(JsonFormatter("test").format(record))["message"] == text
