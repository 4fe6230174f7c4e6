"""GET /v1/me/export: the gateway reads every /v1/me part with the person's token, from real servers
standing in for the services, and answers one document; a failing part is named, not a 5xx."""
from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway import me_export
from gateway.routing import GATEWAY_ROUTES, Route, route_for
from gateway.tests.conftest import bearer, free_port, uvicorn_server
from services.core.manifest import load_manifest
from tests.support.tokens import TestTokens as PersonTokens

PERSON = "0b9c2f8e-5d1a-4c3e-9f7a-2b6d8e4c1a05"
PARTS = {
    "registration": Route("/v1/me/registration", "registration", "me", "me"),
    "access-log": Route("/v1/me/access-log", "dossier", "me", "me"),
    "sanction-cases": Route("/v1/me/sanction-cases", "sanctions", "me", "me"),
    "profile": Route("/v1/me/profile", "profiles", "me", "me"),
    "saved-searches": Route("/v1/me/saved-searches", "offers", "me", "me"),
}


def services_standing_in() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/me/registration")
    def registration(request: Request) -> dict:
        return {"authorization": request.headers["authorization"], "email": "camille@example.org"}

    @app.get("/v1/me/access-log")
    def access_log(cursor: str | None = None) -> dict:
        if cursor is None:
            return {"items": [{"n": 1}, {"n": 2}], "next_cursor": "page-2"}
        return {"items": [{"n": 3}], "next_cursor": None}

    @app.get("/v1/me/sanction-cases")
    def no_case() -> JSONResponse:
        return JSONResponse({"status": 404, "detail": "No case."}, status_code=404)

    @app.get("/v1/me/profile")
    def failing() -> JSONResponse:
        return JSONResponse({"status": 503, "detail": "Profiles are restarting."}, status_code=503)

    return app


@pytest.fixture
def export_gateway(gateway_for, tmp_path, monkeypatch):
    monkeypatch.setattr(me_export, "ROUTES", tuple(PARTS.values()))
    with uvicorn_server(services_standing_in()) as url:
        silent = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        with gateway_for(registration=url, dossier=url, sanctions=url, profiles=url, offers=silent) as gateway:
            yield gateway, PersonTokens(tmp_path / "signing-key.pem")


def test_the_export_is_every_part_read_with_the_persons_token(export_gateway):
    gateway, tokens = export_gateway
    headers = tokens.person_headers(PERSON)
    answer = gateway.get("/v1/me/export", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-disposition"].startswith('attachment; filename="mes-donnees-')
    assert answer.headers["cache-control"] == "no-store"
    document = answer.json()
    assert document["person_id"] == PERSON and document["generated_at"].endswith("Z")
    assert document["parts"]["registration"] == {"authorization": headers["Authorization"],
                                                 "email": "camille@example.org"}
    assert document["parts"]["access-log"] == {"items": [{"n": 1}, {"n": 2}, {"n": 3}], "next_cursor": None}
    assert document["parts"]["sanction-cases"] is None  # nothing held there
    assert document["unavailable"] == {
        "profile": {"status": 503, "detail": "Profiles are restarting."},
        "saved-searches": {"status": None, "detail": "The service did not answer; retry later."}}


def test_the_export_opens_to_a_person_alone(export_gateway):
    gateway, _ = export_gateway
    assert gateway.get("/v1/me/export").status_code == 401
    organisation = gateway.get("/v1/me/export", headers=bearer(gateway, "ft-agence-nantes"))
    assert organisation.status_code == 403
    assert organisation.headers["content-type"] == "application/problem+json"


def test_the_gateway_answers_other_verbs_and_paths_under_the_export_itself(export_gateway):
    gateway, tokens = export_gateway
    headers = tokens.person_headers(PERSON)
    refused = gateway.post("/v1/me/export", headers=headers)
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    assert gateway.get("/v1/me/export/anything", headers=headers).status_code == 404


def test_the_export_route_is_the_manifests_and_the_parts_are_its_me_routes():
    assert [route.prefix for route in GATEWAY_ROUTES] == ["/v1/me/export"]
    assert route_for("/v1/me/export").served_by_gateway and route_for("/v1/me/export").scope_for("GET") == "me"
    expected = {route.prefix for service in load_manifest().services for route in service.routes
                if route.read_scope == "me"}
    expected |= {path for path in me_export.SUB_RESOURCES if any(path.startswith(f"{root}/") for root in expected)}
    assert {route.prefix for route in me_export.me_parts().values()} == expected
    assert me_export.me_parts()["profile/interests"].service == "profiles"


def test_the_browser_session_reads_the_export_too(export_gateway):
    gateway, tokens = export_gateway
    session = tokens.person_headers(PERSON)["Authorization"].removeprefix("Bearer ")
    gateway.cookies.set("ft_person_session", session)
    answer = gateway.get("/v1/me/export")
    assert answer.status_code == 200 and answer.json()["person_id"] == PERSON


def test_a_person_may_ask_some_parts_only_and_exports_are_metered(export_gateway, monkeypatch):
    gateway, tokens = export_gateway
    headers = tokens.person_headers(PERSON)
    asked = [name for name in me_export.me_parts()][:1]
    if asked:  # the parts a person may name are the manifest's
        only = gateway.get("/v1/me/export", params={"part": asked}, headers=headers)
        assert only.status_code == 200 and set(only.json()["parts"]) | set(only.json()["unavailable"]) <= set(asked)
    assert gateway.get("/v1/me/export", params={"part": "nothing-of-mine"}, headers=headers).status_code == 422
    answers = [gateway.get("/v1/me/export", headers=headers) for _ in range(me_export.EXPORTS_PER_MINUTE + 1)]
    assert answers[0].headers["RateLimit-Limit"] == str(me_export.EXPORTS_PER_MINUTE)
    assert answers[-1].status_code == 429 and int(answers[-1].headers["Retry-After"]) > 0
