"""Public routes of the manifest (/open-data/…): read without a token, metered per address, nothing else."""
from __future__ import annotations

from fastapi import FastAPI, Request

from gateway.routing import route_for, service_routes
from gateway.tests.conftest import bearer, uvicorn_server


def open_data_service() -> FastAPI:
    app = FastAPI()

    @app.get("/open-data/indicators")
    def datasets(request: Request) -> dict:
        return {"authorization": request.headers.get("authorization")}

    return app


def test_open_data_is_read_without_a_token_and_metered_per_address(gateway_for):
    with uvicorn_server(open_data_service()) as url:
        gateway = gateway_for(indicators=url)
        with gateway:
            answer = gateway.get("/open-data/indicators")
            assert answer.status_code == 200 and answer.json() == {"authorization": None}
            assert int(answer.headers["RateLimit-Remaining"]) < int(answer.headers["RateLimit-Limit"])
            assert gateway.get("/open-data/indicators", headers=bearer(gateway, "departement-44")).status_code == 200
            refused = gateway.post("/open-data/indicators", json={})
            assert refused.status_code == 405 and refused.headers["content-type"] == "application/problem+json"
            unknown = gateway.get("/open-data/registrations")
            assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"


def test_a_public_route_has_no_scope_and_the_api_under_v1_keeps_its_own():
    assert route_for("/open-data/indicators/registrations/departement/2026-11").public
    assert route_for("/v1/indicators").scope_for("GET") == "indicators:read"
    # A service's contract is published under its API's root, not under a shorter public prefix.
    assert service_routes()["indicators"].prefix == "/v1/indicators"
