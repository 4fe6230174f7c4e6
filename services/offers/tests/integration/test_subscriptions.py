"""Saved searches: each new matching offer reaches the person once, whatever the searches."""
import uuid

import pytest

from services.offers.api import examples
from services.offers.tests.integration.conftest import BOARD, COUNSELLOR, MATCHES_TOPIC, offer

pytestmark = pytest.mark.integration
OTHER_COUNSELLOR = "mission-locale-nantes"


def subscribe(offers, person_id: str, criteria: dict, client: str = COUNSELLOR):
    return offers.post("/v1/offers/subscriptions", {"person_id": person_id, "criteria": criteria}, client)


def test_a_matching_offer_is_sent_once_per_person_and_offer(offers, broker):
    camille, dominique = str(uuid.uuid4()), str(uuid.uuid4())
    assert subscribe(offers, camille, examples.CRITERIA).status_code == 201
    assert subscribe(offers, camille, {"rome_codes": ["D1102"]}).status_code == 201  # matches too: still one event
    assert subscribe(offers, dominique, {"departement_codes": ["44"], "contract_types": ["CDD"]}).status_code == 201
    since = broker.end_offsets(MATCHES_TOPIC)
    baker = offers.published(offer())
    far = offers.published(offer(source_offer_id="far", **{"place.commune_code": "75056"}), BOARD)
    offers.published(offer(**{"salary.max": 2500}))  # an update of the same offer is not a new offer
    # Camille: the baker once (two searches match it), the far one once (only "D1102" matches it).
    matches = offers.events(MATCHES_TOPIC, since, camille, 3, timeout=10)
    assert sorted(m["data"]["offer_id"] for m in matches) == sorted([baker["id"], far["id"]])
    assert {m["type"] for m in matches} == {"offers.match.found.v1"}
    assert offers.events(MATCHES_TOPIC, since, dominique, 1, timeout=3) == []  # CDIs, not the CDD sought


def test_saved_searches_belong_to_their_organisation(offers):
    person = str(uuid.uuid4())
    created = subscribe(offers, person, {"rome_codes": ["D1102"]})
    assert created.status_code == 201 and created.headers["Location"].endswith(created.json()["id"])
    path = f"/v1/offers/subscriptions/{created.json()['id']}"
    assert offers.get(path).json()["criteria"] == {"rome_codes": ["D1102"]}
    assert offers.get(path, OTHER_COUNSELLOR).status_code == 404
    listed = offers.get("/v1/offers/subscriptions", person_id=person).json()["items"]
    assert [item["id"] for item in listed] == [created.json()["id"]]
    assert offers.get("/v1/offers/subscriptions", OTHER_COUNSELLOR, person_id=person).json()["items"] == []
    assert offers.service.delete(path, headers=offers.headers(OTHER_COUNSELLOR)).status_code == 404
    deleted = offers.service.delete(path, headers=offers.headers(COUNSELLOR))
    assert deleted.status_code == 200 and offers.get(path).status_code == 404


def test_saved_searches_need_their_scope_and_known_codes(offers):
    person = str(uuid.uuid4())
    assert subscribe(offers, person, {"rome_codes": ["D1102"]}, client="boulangerie-nantaise").status_code == 403
    unknown = subscribe(offers, person, {"rome_codes": ["A9999"], "commune_code": "44999", "radius_km": 5})
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.json()["errors"]} == {"criteria.rome_codes", "criteria.commune_code"}
    no_centre = subscribe(offers, person, {"radius_km": 5})
    assert no_centre.status_code == 422 and no_centre.json()["errors"][0]["field"] == "criteria.radius_km"


def test_repeated_codes_are_saved_once_and_still_match(offers, broker):
    """Found by schemathesis: a code listed twice used to file the search twice under one key (500)."""
    person = str(uuid.uuid4())
    created = subscribe(offers, person, {"departement_codes": ["44", "2B", "44"], "contract_types": ["CDI", "CDI"]})
    assert created.status_code == 201
    assert created.json()["criteria"] == {"departement_codes": ["2B", "44"], "contract_types": ["CDI"]}
    since = broker.end_offsets(MATCHES_TOPIC)
    baker = offers.published(offer(source_offer_id=f"repeat-{person}"))
    matches = offers.events(MATCHES_TOPIC, since, person, 1, timeout=10)
    assert [m["data"]["offer_id"] for m in matches] == [baker["id"]]
