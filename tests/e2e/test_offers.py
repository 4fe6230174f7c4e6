"""Offers through the gateway: an employer publishes once, a job board's copy of the same job joins
it, counsellors find it and the people they follow are told; bulk files go through too."""
from __future__ import annotations

import json
import uuid

import pytest

from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.offers.api import examples
from services.registration.tests.builders import person
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
EMPLOYER, BOARD, COUNSELLOR = "boulangerie-nantaise", "emploi-ouest-board", "ft-agence-nantes"


def bakery_offer(marker: str, **changes) -> dict:
    """Another job of the bakery than the published example, made unique by a word of its own: the
    shared stack also holds the example (schemathesis publishes it), which this must not merge with."""
    return {**examples.NATIVE, "source_offer_id": f"e2e-{marker}", "title": "Boulanger de nuit (H/F)",
            "description": f"Le fournil{marker} de la Boulangerie Nantaise cherche un boulanger de nuit pour ses "
                           "pains au levain, ses baguettes de tradition et ses brioches. Horaires de 3 h à 10 h, cinq "
                           "nuits par semaine, avec une équipe de quatre personnes.", **changes}


def test_publish_once_merge_a_board_copy_find_it_and_tell_the_person(stack, broker):
    marker = uuid.uuid4().hex[:8]
    employer, board, counsellor = (stack.client(c) for c in (EMPLOYER, BOARD, COUNSELLOR))
    person_id = counsellor.post("/v1/registrations", json=person()).json()["id"]
    # A saved search names a person the offers service knows (from registration's event) and the
    # counsellor may see.
    saved = eventually(lambda: counsellor.post("/v1/offers/subscriptions", json={"person_id": person_id, "criteria": {
        "text": f"fournil{marker}", "departement_codes": ["44"]}}), lambda a: a.status_code != 404)
    assert saved.status_code == 201, saved.text
    since = broker.end_offsets("offers.matches.v1")

    published = employer.post("/v1/offers", json=bakery_offer(marker))
    assert published.status_code == 201, published.text
    offer_id = published.json()["id"]
    copy = board.post("/v1/offers", json=bakery_offer(marker, source_offer_id=f"EO-{marker}"))
    assert (copy.status_code, copy.json()["id"], copy.json()["outcome"]) == (200, offer_id, "merged")

    page = counsellor.get("/v1/offers", params={"q": f"Fournil{marker}", "departement_code": "44"}).json()
    assert page["total"] == 1 and page["items"][0]["id"] == offer_id
    assert page["facets"]["contract_type"] == [{"value": "CDI", "count": 1, "label": None}]
    sources = employer.get(f"/v1/offers/{offer_id}/distribution").json()["sources"]
    assert [s["source"] for s in sources] == ["employer-44781234800012", "emploi-ouest"]

    messages = broker.read("offers.matches.v1", since, lambda ms: any(m.key.decode() == person_id for m in ms), 60)
    [match] = [json.loads(m.value) for m in messages if m.key.decode() == person_id]
    SCHEMAS.validate(match)
    assert match["data"]["offer_id"] == offer_id

    filled = employer.post(f"/v1/offers/{offer_id}/fill", headers={"If-Match": published.headers["ETag"]})
    assert filled.status_code == 200 and filled.json()["status"] == "filled"
    assert counsellor.get("/v1/offers", params={"q": f"fournil{marker}"}).json()["total"] == 0


def test_a_bulk_file_goes_through_the_gateway(stack):
    marker = uuid.uuid4().hex[:8]
    board = stack.client(BOARD)
    lines = [bakery_offer(marker, source_offer_id=f"bulk-{marker}-{n}", title=f"Boulanger équipe {n} (H/F)",
                          **{"employer": {"name": f"Fournil {n}"}, "place": {"commune_code": "44184" if n % 2 else "44109"}})
             for n in range(40)]
    lines.insert(5, {**lines[0], "place": {"commune_code": "00000"}, "source_offer_id": f"bad-{marker}"})
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    answer = board.post("/v1/offers/imports", content=body.encode(), headers={"Content-Type": "application/x-ndjson"})
    assert answer.status_code == 202, answer.text
    job = eventually(lambda: board.get(answer.headers["Location"]), lambda a: a.json()["status"] == "completed").json()
    assert (job["lines_total"], job["created"], job["rejected"]) == (41, 40, 1)
    assert job["errors"] == [{"line": 6, "errors": [{"field": "place.commune_code",
                                                    "message": "unknown INSEE commune code 00000"}]}]
    assert stack.client(COUNSELLOR).get("/v1/offers", params={"q": f"fournil{marker}"}).json()["total"] == 40


def test_the_gateway_holds_each_client_to_its_scopes(stack):
    counsellor, employer, board = (stack.client(c) for c in (COUNSELLOR, EMPLOYER, BOARD))
    refused = counsellor.post("/v1/offers", json=examples.NATIVE)
    assert refused.status_code == 403 and "offers:publish" in refused.json()["detail"]
    assert employer.get("/v1/offers/subscriptions").status_code == 403  # offers:subscribe
    assert counsellor.get("/v1/offers/imports/" + str(uuid.uuid4())).status_code == 403  # offers:publish
    foreign = board.post("/v1/offers", json=examples.NATIVE | {"source_offer_id": f"x-{uuid.uuid4().hex}",
                                                               "employer": {"name": "X", "siret": "44781234800013"}})
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "employer.siret"
