"""One client's error never becomes another's 502 (issue 9, finding 5).

A service answers its 500 as a normal response and keeps the connection open; and when the
gateway meets a pooled connection the service closed anyway, a request that is safe to repeat is
sent once more on a fresh connection, never a POST that could act twice."""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi import FastAPI, Request

from gateway.tests.conftest import bearer, uvicorn_server
from services.core.problems import install_problem_handlers
from services.core.request_context import RequestContext


def failing_service() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RequestContext)

    @app.get("/v1/registrations/boom")
    def boom():
        raise RuntimeError("a bug in the service")

    @app.get("/v1/registrations")
    def fine():
        return {"items": []}

    return app


def http_exchange(sock: socket.socket, path: str) -> bytes:
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: service\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(65536)
        assert chunk, "the service closed the connection"
        head += chunk
    headers, _, body = head.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in headers.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(65536)
    return headers


def test_a_service_keeps_the_connection_open_after_its_500():
    with uvicorn_server(failing_service()) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            assert http_exchange(sock, "/v1/registrations/boom").startswith(b"HTTP/1.1 500")
            assert http_exchange(sock, "/v1/registrations").startswith(b"HTTP/1.1 200")


def test_requests_after_another_clients_500_all_succeed(gateway_for):
    with uvicorn_server(failing_service()) as url:
        gateway = gateway_for(registration=url)
        with gateway:
            agency, mission_locale = bearer(gateway, "ft-agence-nantes"), bearer(gateway, "mission-locale-nantes")
            for _ in range(5):
                failed = gateway.get("/v1/registrations/boom", headers=agency)
                assert failed.status_code == 500 and failed.headers["content-type"] == "application/problem+json"
                statuses = [gateway.get("/v1/registrations", headers=mission_locale).status_code for _ in range(80)]
                assert statuses == [200] * 80


@contextmanager
def closing_on_reuse() -> Iterator[str]:
    """A server that answers the first request of each connection and closes the connection at the
    second without answering: a pooled connection the service closed, met deterministically."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                _read_request(conn)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                _read_request(conn)  # then close without a word
            except OSError:
                pass

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("client left")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")), 0)
    while len(body) < length:
        body += conn.recv(65536)


@pytest.mark.parametrize("method, headers, retried", [
    ("GET", {}, True), ("DELETE", {}, True), ("PUT", {}, True),
    ("POST", {"Idempotency-Key": "retry-me-1"}, True),
    ("POST", {}, False), ("PATCH", {}, False),
])
def test_a_closed_pooled_connection_is_retried_once_only_when_the_request_is_safe_to_repeat(
        gateway_for, method, headers, retried):
    with closing_on_reuse() as url:
        with gateway_for(registration=url) as gateway:
            auth = bearer(gateway, "ft-agence-nantes")
            assert gateway.get("/v1/registrations", headers=auth).status_code == 200  # pools the connection
            answer = gateway.request(method, "/v1/registrations", headers={**auth, **headers}, content=b"{}")
            assert answer.status_code == (200 if retried else 502), answer.text


def sink_service() -> FastAPI:
    """Reads whatever body it is sent, streamed or not, and says how long it was."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/v1/{rest:path}")
    async def sink(request: Request) -> dict:
        return {"size": sum([len(chunk) async for chunk in request.stream()])}

    return app


def chunks(total: int, size: int = 1024):
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


@pytest.mark.parametrize("path, client_id", [
    ("/v1/registrations", "ft-agence-nantes"),  # held whole by the gateway, then forwarded
    ("/v1/offers/imports", "emploi-ouest-board"),  # a bulk upload, streamed on to the service
])
def test_a_chunked_body_over_the_limit_is_413_at_the_gateway_buffered_or_streamed(
        gateway_for, monkeypatch, path, client_id):
    monkeypatch.setenv("MAX_BODY_BYTES", "4096")
    monkeypatch.setattr("gateway.app.larger_bodies", lambda: {"/v1/offers/imports": 8192})
    with uvicorn_server(sink_service()) as service:
        with gateway_for(registration=service, offers=service) as in_process, uvicorn_server(in_process.app) as url:
            auth = bearer(in_process, client_id)
            over = httpx.post(url + path, content=chunks(50_000), headers=auth, timeout=10)
            assert over.status_code == 413 and over.headers["content-type"] == "application/problem+json"
            under = httpx.post(url + path, content=chunks(4000), headers=auth, timeout=10)
            assert under.json() == {"size": 4000}
