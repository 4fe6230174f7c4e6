"""The profile bank through the gateway: Camille is registered once, her referent records her
consent and her project, a temp agency finds her pseudonymous profile, asks, and gets her contact
details once she said she is interested."""
from __future__ import annotations

import uuid

import pytest

from services.profiles.tests.builders import STATEMENT, forbidden_in
from services.registration.tests.builders import person
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


def test_a_temp_agency_finds_camille_asks_and_gets_her_contact_once_she_is_interested(stack):
    ft, dep, ml, temp = (stack.client(c) for c in ("ft-agence-nantes", "departement-44", "mission-locale-nantes",
                                                    "interim-ouest"))
    person_id = ft.post("/v1/registrations", json=person()).json()["id"]  # RSA, 25, lives in Nantes (44)
    decision = eventually(lambda: dep.get(f"/v1/orientation/decisions/{person_id}"), lambda a: a.status_code == 200)
    validated = dep.post(f"/v1/orientation/decisions/{person_id}/validate", json={},
                         headers={"If-Match": decision.headers["ETag"]})
    assert validated.status_code == 200, validated.text

    # The mission locale, her referent once orientation is decided, records her project and consent.
    profile = f"/v1/profiles/persons/{person_id}"
    read = eventually(lambda: ml.get(profile), lambda a: a.status_code == 200)
    skill = f"Pétrissage {uuid.uuid4().hex[:8]}"
    stated = ml.patch(f"{profile}/statement", json={**STATEMENT, "skills": [skill]},
                      headers={"If-Match": read.headers["ETag"]})
    assert stated.status_code == 200, stated.text
    assert temp.get("/v1/profiles", params={"skills": [skill]}).json()["items"] == []  # no consent yet
    granted = ml.post(f"{profile}/consents", json={"audience": "temp_agencies", "method": "on_site"})
    assert granted.status_code == 201, granted.text

    found = temp.get("/v1/profiles", params={"skills": [skill], "rome_codes": ["D1102"], "commune_code": "44109",
                                             "radius_km": 30})
    assert found.status_code == 200 and forbidden_in(found.json()) == []
    [hit] = found.json()["items"]
    assert hit["match"]["score"] == 1.0
    assert temp.get(f"/v1/profiles/{hit['pseudonym']}").status_code == 200

    asked = temp.post("/v1/profiles/interest-requests",
                      json={"pseudonym": hit["pseudonym"], "message": "Mission de 3 mois en boulangerie."})
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    assert temp.post(f"/v1/profiles/interest-requests/{request_id}/contact").status_code == 403
    answered = ml.post(f"{profile}/interest-requests/{request_id}/answer", json={"answer": "interested"})
    assert answered.status_code == 200, answered.text

    contact = temp.post(f"/v1/profiles/interest-requests/{request_id}/contact")
    assert contact.status_code == 200, contact.text
    assert contact.json()["email"] == STATEMENT["contact"]["email"]
    assert temp.post(f"/v1/profiles/interest-requests/{request_id}/contact").status_code == 409
    assert temp.post(f"/v1/profiles/interest-requests/{request_id}/outcome",
                     json={"outcome": "interview"}).status_code == 200

    log = ml.get(f"{profile}/access-log").json()["items"]
    assert [(e["action"], e["org_id"]) for e in log] == [("contact_release", "interim-ouest"),
                                                         ("detail_view", "interim-ouest")]
