"""Through the gateway, as a partner's system would: register a person, the event is on Kafka."""
from __future__ import annotations

import json

import pytest

from services.core.events import SchemaRegistry
from services.core.manifest import load_manifest
from services.core.settings import REPO_ROOT
from services.registration.published import PERSONS
from services.registration.tests.builders import person

pytestmark = pytest.mark.e2e

TOPIC = PERSONS.address
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"


def test_a_registration_through_the_gateway_reaches_kafka_once(stack, broker):
    since = broker.end_offsets(TOPIC)
    with stack.client("ft-agence-nantes") as api:
        answer = api.post("/v1/registrations", json=person(), headers={
            "X-Request-Id": "e2e-flow-1", "traceparent": f"00-{TRACE_ID}-b7ad6b7169203331-01"})
        assert answer.status_code == 201, answer.text
        assert answer.headers["X-Request-Id"] == "e2e-flow-1"
        assert int(answer.headers["RateLimit-Remaining"]) < int(answer.headers["RateLimit-Limit"])
        created = answer.json()
        read_back = api.get(answer.headers["Location"])
        assert read_back.status_code == 200 and read_back.json()["id"] == created["id"]
        assert read_back.headers["ETag"] == answer.headers["ETag"]

    messages = broker.read(TOPIC, since, lambda ms: any(m.key.decode() == created["id"] for m in ms))
    mine = [json.loads(m.value) for m in messages if m.key.decode() == created["id"]]
    assert len(mine) == 1
    SchemaRegistry(REPO_ROOT / "schemas").validate(mine[0])
    assert mine[0]["data"]["identity"]["last_name"] == created["identity"]["last_name"]
    # One trace from the partner's call, through the gateway and the service, into Kafka.
    assert mine[0]["traceparent"].split("-")[1] == TRACE_ID


def test_the_gateway_serves_tokens_keys_docs_and_health(stack):
    import httpx

    jwks = httpx.get(f"{stack.url}/.well-known/jwks.json").json()
    assert jwks["keys"][0]["kty"] == "RSA" and jwks["keys"][0]["alg"] == "RS256"
    spec = httpx.get(f"{stack.url}/openapi.json").json()
    assert "/v1/registrations" in spec["paths"]
    assert spec["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/oauth/token"
    assert "swagger" in httpx.get(f"{stack.url}/docs").text.lower()
    # Every service the gateway routes to; one no one calls (notifications, no routes) is none of its readiness.
    assert httpx.get(f"{stack.url}/readyz").json()["checks"] == {
        service.name: "ok" for service in load_manifest().services if service.routes}
    wrong = httpx.post(f"{stack.url}/oauth/token", data={
        "grant_type": "client_credentials", "client_id": "ft-agence-nantes", "client_secret": "nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    narrowed = httpx.post(f"{stack.url}/oauth/token", data={
        "grant_type": "client_credentials", "client_id": "caf-44", "client_secret": "demo-caf-44-secret",
        "scope": "registrations:read"}).json()
    assert narrowed["scope"] == "registrations:read"
