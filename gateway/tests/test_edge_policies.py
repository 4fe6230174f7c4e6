"""The gateway's own edge policies (issue 9, findings 4 and 7): secret guessing locked out, CORS from
each partner's allow-list, an Idempotency-Key bound to one operation across the platform,
`Cache-Control: no-store` on every API answer, header bytes over 0x7f passed on intact."""
from __future__ import annotations

import json
import socket

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.lockout import MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_CLIENT, WINDOW_SECONDS, TokenGuard
from gateway.tests.conftest import bearer, demo_partner, uvicorn_server
from services.core.problems import Problem, install_problem_handlers

AGENCY = "ft-agence-nantes"
BROWSER_PARTNER = "mission-locale-nantes"  # its demo entry declares cors_origins
ORIGIN = demo_partner(BROWSER_PARTNER)["cors_origins"][0]


def echo_service() -> FastAPI:
    """Answers every call with what it received: method, path, and the raw header bytes (latin-1)."""
    app = FastAPI()
    install_problem_handlers(app)

    @app.api_route("/v1/{rest:path}", methods=["GET", "POST", "DELETE"])
    async def echo(request: Request) -> JSONResponse:
        headers = {name.decode(): value.decode("latin-1") for name, value in request.scope["headers"]}
        cache = {"Cache-Control": "max-age=60"} if request.url.path.endswith("/cacheable") else {}
        return JSONResponse({"method": request.method, "path": request.url.path, "headers": headers},
                            headers={**cache, "X-Echo": request.headers.get("x-custom", "")})

    return app


@pytest.fixture
def gateway(gateway_for):
    with uvicorn_server(echo_service()) as url, gateway_for(registration=url, orientation=url, offers=url,
                                                            dossier=url) as client:
        yield client


def ask_token(gateway, client_id: str, secret: str):
    return gateway.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                              "client_secret": secret})


# -- /oauth/token lock-out -----------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_is_locked_out_after_too_many_failures_until_the_window_moves_on():
    clock = Clock()
    guard = TokenGuard(clock)
    for _ in range(MAX_FAILURES_PER_CLIENT):
        guard.check("client", "10.0.0.1")
        guard.failed("client", "10.0.0.1")
    with pytest.raises(Problem) as refused:
        guard.check("client", "10.0.0.2")  # from any address
    assert refused.value.status == 429 and 0 < int(refused.value.headers["Retry-After"]) <= WINDOW_SECONDS
    guard.check("other-client", "10.0.0.2")
    clock.now += WINDOW_SECONDS
    guard.check("client", "10.0.0.2")


def test_an_address_is_locked_out_whatever_client_ids_it_tries():
    guard = TokenGuard(Clock())
    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        guard.failed(None, "10.0.0.9")  # made-up client ids are not tracked one by one
    with pytest.raises(Problem):
        guard.check("real-client", "10.0.0.9")
    guard.check("real-client", "10.0.0.10")


def test_a_success_clears_its_clients_failures():
    guard = TokenGuard(Clock())
    for _ in range(MAX_FAILURES_PER_CLIENT - 1):
        guard.failed("client", f"10.0.1.{_}")
    guard.succeeded("client")
    for _ in range(MAX_FAILURES_PER_CLIENT - 1):
        guard.failed("client", f"10.0.2.{_}")
    guard.check("client", "10.0.3.1")


def test_wrong_secrets_at_the_token_endpoint_end_in_429_even_for_the_right_one(gateway):
    statuses = [ask_token(gateway, AGENCY, f"guess-{n}").status_code for n in range(MAX_FAILURES_PER_CLIENT + 5)]
    assert statuses == [401] * MAX_FAILURES_PER_CLIENT + [429] * 5
    locked = ask_token(gateway, AGENCY, f"demo-{AGENCY}-secret")
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert locked.headers["content-type"] == "application/problem+json"


# -- CORS ------------------------------------------------------------------------------------------

def preflight(gateway, origin: str, method: str = "POST"):
    return gateway.options("/v1/registrations", headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"})


def test_a_preflight_from_a_partners_origin_is_answered_without_a_token(gateway):
    answer = preflight(gateway, ORIGIN)
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert {"POST", "PATCH", "DELETE"} <= {m.strip() for m in answer.headers["Access-Control-Allow-Methods"].split(",")}
    allowed = answer.headers["Access-Control-Allow-Headers"].lower()
    assert all(name in allowed for name in ("authorization", "content-type", "idempotency-key", "if-match"))
    assert int(answer.headers["Access-Control-Max-Age"]) > 0


@pytest.mark.parametrize("origin, method", [
    ("https://evil.example", "POST"), (ORIGIN + ".evil.example", "GET"), (ORIGIN.upper(), "GET"),
    ("null", "GET"), (ORIGIN, "TRACE"), (ORIGIN, "GET, HEAD"),
])
def test_a_preflight_from_another_origin_or_for_another_method_is_403(gateway, origin, method):
    answer = preflight(gateway, origin, method)
    assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_a_call_from_the_callers_own_origin_may_be_read_by_the_browser(gateway):
    answer = gateway.get("/v1/registrations", headers={**bearer(gateway, BROWSER_PARTNER), "Origin": ORIGIN})
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    exposed = answer.headers["Access-Control-Expose-Headers"]
    assert all(name in exposed for name in ("ETag", "Location", "RateLimit-Remaining", "X-Request-Id"))
    assert "Origin" in answer.headers["Vary"]


def test_a_call_from_an_origin_the_caller_did_not_declare_gets_no_cors_header(gateway):
    # The agency declared no origin: another partner's origin is not its.
    answer = gateway.get("/v1/registrations", headers={**bearer(gateway, AGENCY), "Origin": ORIGIN})
    assert answer.status_code == 200 and "Access-Control-Allow-Origin" not in answer.headers


# -- Idempotency-Key across services ---------------------------------------------------------------

def test_a_key_reused_on_another_operation_of_any_service_is_409(gateway):
    auth = {**bearer(gateway, AGENCY), "Idempotency-Key": "key-across-services"}
    first = gateway.post("/v1/registrations", headers=auth, json={"a": 1})
    assert first.status_code == 200 and first.json()["headers"]["idempotency-key"] == "key-across-services"
    # The same operation goes through again: the service replays or refuses it by its body.
    assert gateway.post("/v1/registrations", headers=auth, json={"a": 2}).status_code == 200
    for path in ("/v1/orientation/slots", "/v1/registrations/abc/confirm", "/v1/dossiers/x/contract/signature"):
        reused = gateway.post(path, headers=auth, json={"a": 1})
        assert reused.status_code == 409, path
        assert reused.json()["type"].endswith("/idempotency-key-reused")
    # Keys are per client: another partner may use the same one.
    other = {**bearer(gateway, "interim-ouest"), "Idempotency-Key": "key-across-services"}
    assert gateway.post("/v1/offers", headers=other, json={}).status_code == 200


@pytest.mark.parametrize("key", ["caf\xe9", "a b", "x" * 201, "tab\tkey"])
def test_a_key_that_is_not_visible_ascii_is_422_at_the_gateway(gateway, key):
    answer = gateway.post("/v1/registrations", headers={**bearer(gateway, AGENCY),
                                                        "Idempotency-Key": key.encode("latin-1")}, json={})
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"


# -- Cache-Control, header bytes -------------------------------------------------------------------

def test_every_api_answer_is_no_store_unless_the_service_says_otherwise(gateway):
    auth = bearer(gateway, AGENCY)
    assert gateway.get("/v1/registrations/abc", headers=auth).headers["Cache-Control"] == "no-store"
    assert gateway.get("/v1/registrations/cacheable", headers=auth).headers["Cache-Control"] == "max-age=60"


@pytest.mark.parametrize("value", [b"caf\xe9", b"\xff\xfe", "naïve".encode(), b"\x80"])
def test_header_bytes_over_0x7f_pass_through_intact_both_ways_over_a_raw_socket(gateway_for, value):
    # Raw sockets on a real server: a client library would refuse to send such bytes, or to read them.
    with uvicorn_server(echo_service()) as service, gateway_for(registration=service) as in_process:
        auth = bearer(in_process, AGENCY)["Authorization"].encode()
        with uvicorn_server(in_process.app) as url:
            host, port = url.removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=10) as sock:
                sock.sendall(b"GET /v1/registrations HTTP/1.1\r\nHost: gw\r\nAuthorization: " + auth
                             + b"\r\nX-Custom: " + value + b"\r\nX-Request-Id: " + value
                             + b"\r\nIdempotency-Key: " + value + b"\r\nConnection: close\r\n\r\n")
                answer = b""
                while data := sock.recv(65536):
                    answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), answer
    assert b"\r\nx-echo: " + value + b"\r\n" in head.lower()
    received = json.loads(body)["headers"]
    assert received["x-custom"].encode("latin-1") == value
    assert received["x-request-id"].isascii()  # replaced by a minted id: it is written in every log line
