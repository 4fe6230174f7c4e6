"""The gateway's question after a login, on SQLite and PostgreSQL: which registration is this identity's."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from services.registration.tests.builders import person

pytestmark = pytest.mark.integration

MATCHER = {"identity:match"}


def claims(registered: dict, **changes) -> dict:
    identity = registered["identity"]
    return {"family_name": identity["last_name"].upper(), "given_names": identity["first_names"],
            "birth_date": identity["birth_date"], "birth_place": identity["birth_place"]["commune_code"],
            "birth_country": "99100", **changes}


def match(service, tokens, body, client="ft-agence-nantes", scopes=MATCHER):
    return service.post("/v1/registrations/identity-matches", json=body, headers=tokens.headers(client, scopes))


def test_one_registration_names_the_person_none_or_several_do_not(service, tokens):
    # A birth date of its own, so other tests' people never share it.
    born = date(1950, 1, 1) + timedelta(days=random.randint(0, 15000))
    body = person(nir=False, first_name="Anaïs", birth=born)
    created = service.post("/v1/registrations", json=body, headers=tokens.headers("ft-agence-nantes")).json()

    found = match(service, tokens, claims(body, given_names=["ANAIS", "Marie"]))
    assert found.status_code == 200, found.text
    assert found.json() == {"person_id": created["id"]}

    missing = match(service, tokens, claims(body, birth_place="49099"))
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"

    service.post("/v1/registrations", json=body, headers=tokens.headers("ft-agence-nantes"))  # the same, twice
    several = match(service, tokens, claims(body))
    assert several.status_code == 409 and "counsellor" in several.json()["detail"]


def test_only_the_identity_match_scope_asks_and_never_with_a_nir(service, tokens):
    body = claims(person(nir=False))
    assert match(service, tokens, body, scopes={"registrations:read", "registrations:write"}).status_code == 403
    assert match(service, tokens, {**body, "nir": "2 01 03 49 007 123 86"}).status_code == 422
