"""Hostile and careless input through the real stack (issue 9, findings 4, 5 and 7): every answer is a
4xx problem+json, nothing reaches a log in clear, and the connection survives or closes cleanly.
Raw sockets where a client library would refuse to send what an attacker sends."""
from __future__ import annotations

import json
import socket
import uuid

import httpx
import pytest

from tests.e2e.test_security_floor import assert_problem

pytestmark = pytest.mark.e2e

AGENCY = "ft-agence-nantes"
BOARD = "emploi-ouest-board"  # offers:publish
NIR = "1 85 05 78 006 084 36"


def raw_exchange(stack, request: bytes) -> tuple[bytes, bytes]:
    """Send `request` as is; read until the gateway closes (requests here say Connection: close)."""
    host, port = stack.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pytest.fail(f"connection reset after {answer!r}")
    head, _, body = answer.partition(b"\r\n\r\n")
    return head, body


def head_of(stack, client_id: str, method: str, path: str, *extra: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: gateway",
             f"Authorization: Bearer {stack.token(client_id)}".encode(), b"Connection: close", *extra]
    return b"\r\n".join(lines) + b"\r\n"


@pytest.mark.parametrize("opening, closing", [("[", "]"), ('{"title":', "}"), ('[{"a":', "}]")])
def test_json_nested_100000_deep_is_a_4xx_through_the_gateway(stack, opening, closing):
    deep = opening * 100_000 + "1" + closing * 100_000
    answer = httpx.post(stack.url + "/v1/offers", content=deep, timeout=30, headers={
        "Authorization": f"Bearer {stack.token(BOARD)}", "Content-Type": "application/json"})
    assert answer.status_code in (400, 422), answer.text
    assert_problem(answer, answer.status_code)


def test_an_oversized_chunked_body_is_413_through_the_gateway(stack):
    def chunks():
        for _ in range(40):
            yield b"x" * 65536  # 2.5 MiB, over the 1 MiB default

    answer = httpx.post(stack.url + "/v1/registrations", content=chunks(), timeout=30, headers={
        "Authorization": f"Bearer {stack.token(AGENCY)}", "Content-Type": "application/json"})
    assert_problem(answer, 413)
    assert httpx.get(stack.url + "/healthz").status_code == 200


@pytest.mark.parametrize("value", [b"caf\xe9", b"\xff", "clé".encode(), b"k\x80y"])
def test_a_non_ascii_idempotency_key_is_422_and_the_connection_closes_cleanly(stack, value):
    body = b"{}"
    head, payload = raw_exchange(stack, head_of(
        stack, AGENCY, "POST", "/v1/registrations", b"Content-Type: application/json",
        b"Idempotency-Key: " + value, b"X-Anything: " + value, f"Content-Length: {len(body)}".encode()) + b"\r\n" + body)
    assert head.startswith(b"HTTP/1.1 422"), head
    assert b"content-type: application/problem+json" in head.lower()
    assert json.loads(payload)["status"] == 422


@pytest.mark.parametrize("value", [b"caf\xe9", b"\xff\xfe", "naïve".encode()])
def test_a_non_ascii_header_value_passes_through_a_read(stack, value):
    head, payload = raw_exchange(stack, head_of(stack, AGENCY, "GET", "/v1/registrations?limit=1",
                                                b"X-Anything: " + value, b"X-Request-Id: " + value) + b"\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head + payload
    assert b"cache-control: no-store" in head.lower()


def test_a_nul_byte_in_the_request_line_is_a_400_problem_then_a_clean_close(stack):
    """The HTTP/1.1 parser refuses the request line before any application code runs; the protocol class
    every process is served with (services/core/serving.py) answers it problem+json all the same."""
    head, payload = raw_exchange(stack, b"GET /v1/registrations/a\x00b HTTP/1.1\r\nHost: gateway\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"connection: close" in head.lower()
    assert b"content-type: application/problem+json" in head.lower()
    assert json.loads(payload)["type"].endswith("/problems/bad-request")


def test_an_idempotency_key_reused_on_another_service_is_409(stack):
    key = f"hardening-{uuid.uuid4()}"
    with stack.client(AGENCY) as api:
        first = api.post("/v1/orientation/slots", headers={"Idempotency-Key": key}, json={})
        assert first.status_code != 409, first.text  # whatever the service said, the key is now bound
        reused = api.post("/v1/registrations", headers={"Idempotency-Key": key}, json={})
    assert assert_problem(reused, 409)["type"].endswith("/idempotency-key-reused")


def test_personal_data_answers_are_not_stored_by_caches(stack):
    with stack.client(AGENCY) as api:
        assert api.get("/v1/registrations").headers["Cache-Control"] == "no-store"


def test_a_browser_preflight_is_answered_from_the_partners_allow_list(stack):
    origin = "https://suivi.mission-locale-nantes.example"
    ok = httpx.options(stack.url + "/v1/registrations", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert ok.status_code == 204 and ok.headers["Access-Control-Allow-Origin"] == origin
    refused = httpx.options(stack.url + "/v1/registrations", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert_problem(refused, 403)


def test_a_nir_in_a_url_never_reaches_a_log(stack):
    with stack.client(AGENCY) as api:
        for form in (NIR.replace(" ", ""), NIR, NIR.replace(" ", "%20")):
            assert api.get(f"/v1/registrations/{form}").status_code in (404, 422)
    logs = "".join(path.read_text(errors="replace") for path in stack.workdir.glob("*.log"))
    assert "[nir]" in logs
    assert NIR.replace(" ", "") not in logs and NIR not in logs and NIR.replace(" ", "%20") not in logs
