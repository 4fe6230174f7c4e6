"""Referentials as versioned data: admin-only PUT, every version kept, what-if counts."""
from __future__ import annotations

import pytest

from services.orientation.tests.builders import registered_event

pytestmark = pytest.mark.integration

ONLY_PROFESSIONAL = {"pathway": [{"id": "all", "then": "professional", "when": {}, "explain": "everyone"}]}


def test_put_creates_versions_only_for_admins_and_decisions_cite_them(orientation):
    service, headers = orientation.service, orientation.tokens.headers
    national = service.get("/v1/orientation/referentials/national", headers=headers("ft-agence-nantes"))
    assert national.status_code == 200 and national.json()["version"] == 1
    assert service.get("/v1/orientation/referentials/49", headers=headers("ft-agence-nantes")).status_code == 404

    override = {"referential": {"rsa": {"authority": "delegated", "decision_delay_days": 21}}, "comment": "delegation"}
    for client in ("ft-agence-nantes", "departement-44"):
        refused = service.put("/v1/orientation/referentials/44", json=override, headers=headers(client))
        assert refused.status_code == 403, client
    put = service.put("/v1/orientation/referentials/44", json=override, headers=headers("platform-admin"))
    assert put.status_code == 200 and put.json()["version"] == 2 and put.headers["ETag"] == '"2"'
    same = service.put("/v1/orientation/referentials/44", json=override, headers=headers("platform-admin"))
    assert same.json()["version"] == 2  # the same text is not a new version
    stale = service.put("/v1/orientation/referentials/44", json={"referential": {}},
                        headers=headers("platform-admin", **{"If-Match": '"1"'}))
    assert stale.status_code == 412
    broken = service.put("/v1/orientation/referentials/44", json={"referential": {"rsa": {"authority": "prefet"}}},
                         headers=headers("platform-admin"))
    assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "referential.rsa.authority"

    versions = service.get("/v1/orientation/referentials/44/versions", headers=headers("departement-44")).json()
    assert [v["version"] for v in versions["items"]] == [2, 1]
    assert versions["items"][1]["document"]["rsa"]["authority"] == "departement"

    # An RSA recipient of 44 is now decided by the operator, citing version 2.
    person_id = orientation.register(registered_event(rsa=True))
    current = orientation.decision(person_id).json()["current"]
    assert (current["decided_by"], current["referential"]["version"]) == ("delegated_operator", 2)


def test_what_if_counts_who_would_change_by_departement(orientation):
    def what_if(client="ft-agence-nantes", territory="85"):
        return orientation.post("/v1/orientation/what-if", {"territory": territory, "referential": ONLY_PROFESSIONAL},
                                client=client)

    assert what_if(client="departement-44").status_code == 403  # a département simulates its own territory only
    assert what_if(territory="99").status_code == 422
    # Earlier runs left people of Vendée on the topic: count the change our three people make.
    orientation.caught_up()
    before = what_if().json()
    people = [
        registered_event(commune="85191", departement="85", pre_diagnostic={
            **registered_event()["pre_diagnostic"], "barriers": {"housing": True, "health": True, "finances": True}}),
        registered_event(commune="85191", departement="85"),
        registered_event(commune="85191", departement="85", rsa=True, pre_diagnostic={
            **registered_event()["pre_diagnostic"], "availability": "beyond_3_months"}),
    ]
    for data in people:
        orientation.decision(orientation.register(data))
    after = what_if().json()
    delta = {k: after[k] - before[k] for k in ("population", "pathway_changed", "organisation_changed", "changed")}
    # social → professional twice; the RSA recipient also moves from the département to France Travail.
    assert delta == {"population": 3, "pathway_changed": 2, "organisation_changed": 1, "changed": 2}
    assert [d["departement_code"] for d in after["by_departement"]] == ["85"]
    assert orientation.service.get("/v1/orientation/referentials/85/versions",
                                   headers=orientation.tokens.headers("ft-agence-nantes")).json()["items"] == []
