"""The gateway's own `/metrics`: token requests by client and outcome, rate-limit rejections by
client, request durations; a client id nobody registered never becomes a label."""
from __future__ import annotations

import uuid

import pytest
import yaml
from fastapi.testclient import TestClient

from gateway.app import create_app
from services.core.settings import REPO_ROOT
from tests.support.metrics import label_values, metric_value

TOKENS = "gateway_token_requests_total"
REJECTIONS = "gateway_rate_limit_rejections_total"


@pytest.fixture
def partner() -> dict:
    """A demo partner under a name of its own (counters are per process), allowed one call a minute."""
    entry = yaml.safe_load((REPO_ROOT / "deploy" / "local" / "partners.yaml").read_text())["partners"][0]
    return {**entry, "client_id": f"metrics-{uuid.uuid4().hex[:8]}", "rate_limit_per_minute": 1}


@pytest.fixture
def gateway(partner, tmp_path, monkeypatch) -> TestClient:
    partners_file = tmp_path / "partners.yaml"
    partners_file.write_text(yaml.safe_dump({"partners": [partner]}))
    monkeypatch.setenv("GATEWAY_KEY_FILE", str(tmp_path / "signing-key.pem"))
    monkeypatch.setenv("GATEWAY_DATABASE_URL", f"sqlite:///{tmp_path / 'gateway.db'}")
    return TestClient(create_app(partners_file=partners_file))


def token(gateway: TestClient, client_id: str, secret: str, **form: str):
    return gateway.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                              "client_secret": secret, **form})


def test_token_requests_are_counted_by_registered_client_and_outcome(gateway, partner):
    client_id, secret = partner["client_id"], partner["client_secret"]
    invented = f"invented-{uuid.uuid4().hex}"
    assert token(gateway, client_id, secret).status_code == 200
    assert token(gateway, client_id, "wrong").status_code == 401
    assert token(gateway, client_id, secret, scope="admin").status_code == 400
    assert token(gateway, invented, "whatever").status_code == 401
    exposition = gateway.get("/metrics").text
    assert metric_value(exposition, TOKENS, client_id=client_id, outcome="issued") == 1
    assert metric_value(exposition, TOKENS, client_id=client_id, outcome="invalid-client") == 1
    assert metric_value(exposition, TOKENS, client_id=client_id, outcome="invalid-scope") == 1
    assert invented not in exposition and "unknown" in label_values(exposition, TOKENS, "client_id")


def test_a_rate_limited_call_is_counted_for_its_client(gateway, partner):
    # A scope that does not cover registrations: the allowed call stops at the scope check, never upstream.
    access = token(gateway, partner["client_id"], partner["client_secret"], scope="offers:read").json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    assert gateway.get("/v1/registrations", headers=bearer).status_code == 403
    assert gateway.get("/v1/registrations", headers=bearer).status_code == 429
    exposition = gateway.get("/metrics").text
    assert metric_value(exposition, REJECTIONS, client_id=partner["client_id"]) == 1
    assert metric_value(exposition, "http_server_request_duration_seconds_count",
                        http_route="/v1/{path}", http_response_status_code="429") >= 1
