"""The gateway's own upstream client (gateway/upstream_client.py) fails as httpx did: a service that does not
answer in time is a 504, one that cannot be reached or answers something that is not HTTP a 502, each a
problem+json; and a pooled connection carries the next call."""
from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi import FastAPI, Request

from gateway import proxy
from gateway.tests.conftest import bearer, uvicorn_server


@contextmanager
def raw_service(answer: bytes | None) -> Iterator[str]:
    """Accepts connections, reads a request, then writes `answer` and closes, or (None) stays silent."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            conn.recv(65536)
            if answer is None:
                held.append(conn)  # open and silent until the test ends
            else:
                conn.sendall(answer)
                conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        listener.close()


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_silent_service_is_a_504(gateway_for, monkeypatch):
    monkeypatch.setattr(proxy, "UPSTREAM_TIMEOUT", httpx.Timeout(connect=2.0, read=0.3, write=2.0, pool=2.0))
    with raw_service(None) as url, gateway_for(registration=url) as gateway:
        answer = gateway.get("/v1/registrations", headers=bearer(gateway, "ft-agence-nantes"))
    assert answer.status_code == 504
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith("/upstream-timeout")


@pytest.mark.parametrize("answer", [b"", b"not HTTP at all\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}"])
def test_no_answer_a_broken_one_or_an_unreachable_service_is_a_502(gateway_for, answer):
    with raw_service(answer) as url, gateway_for(registration=url) as gateway:
        # POST without an Idempotency-Key: not repeated on a fresh connection, so the first failure is the answer.
        refused = gateway.post("/v1/registrations", headers=bearer(gateway, "ft-agence-nantes"), json={})
    assert refused.status_code == 502
    assert refused.json()["type"].endswith("/upstream-unavailable")
    with gateway_for(registration=f"http://127.0.0.1:{unused_port()}") as gateway:
        unreachable = gateway.get("/v1/registrations", headers=bearer(gateway, "ft-agence-nantes"))
    assert unreachable.status_code == 502
    assert unreachable.headers["content-type"] == "application/problem+json"


def counting_service() -> FastAPI:
    app = FastAPI()

    @app.api_route("/v1/registrations", methods=["GET", "POST"])
    async def seen(request: Request) -> dict:
        body = await request.body()
        return {"method": request.method, "port": request.client.port, "body": body.decode(),
                "request_id": request.headers.get("x-request-id"), "host": request.headers.get("host")}

    return app


def test_calls_share_a_pooled_connection_and_carry_body_request_id_and_host(gateway_for):
    with uvicorn_server(counting_service()) as url, gateway_for(registration=url) as gateway:
        auth = bearer(gateway, "ft-agence-nantes")
        first = gateway.get("/v1/registrations", headers={**auth, "X-Request-Id": "req-1"}).json()
        second = gateway.post("/v1/registrations", headers=auth, content=b'{"a": 1}').json()
    assert first["request_id"] == "req-1" and first["host"] == url.removeprefix("http://")
    assert second["method"] == "POST" and second["body"] == '{"a": 1}'
    assert first["port"] == second["port"]  # the same client socket: the connection was kept and reused
