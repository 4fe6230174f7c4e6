"""Saved searches: each new matching offer reaches the person once, whatever the searches, and only
for a person the subscriber may know."""
import time
import uuid
from datetime import date, datetime, timezone

import pytest

from services.core.events import Envelope
from services.core.person_facts import PersonFactsRepository
from services.offers.api import examples
from services.offers.tests.integration.conftest import BOARD, COUNSELLOR, MATCHES_TOPIC, offer
from services.registration.published import PERSON_REGISTERED, PERSON_UPDATED

pytestmark = pytest.mark.integration
OTHER_COUNSELLOR = "mission-locale-nantes"


def registered(offers, broker, *, age: int = 22, departement: str = "44", event=PERSON_REGISTERED,
               person_id: str | None = None) -> str:
    """A person as registration tells it on Kafka; returns once the offers service knows their facts."""
    person_id = person_id or str(uuid.uuid4())
    now = datetime.now(timezone.utc)
    born = date(now.year - age, 1, 1).isoformat()
    data = {"registration_id": person_id, "status": "registered", "channel": "counter", "registered_at": now.isoformat(),
            "identity": {"last_name": "Martin", "first_names": ["Camille"], "birth_date": born},
            "territory": {"commune_code": f"{departement}109", "departement_code": departement, "region_code": "52"},
            "situation": {"professional_situation": "unemployed", "rsa_recipient": False,
                          "under_26": age < 26},
            "skills": {"executive_experience": False}, "pre_diagnostic": None, "possible_duplicate_of": None}
    envelope = Envelope(type=event.name, source="registration", subject=person_id, data=data)
    broker.produce(event.topic.address, person_id, envelope.to_json())
    deadline = time.monotonic() + 30
    while not _knows(offers, person_id, departement):
        assert time.monotonic() < deadline, "the person facts never reached offers"
        time.sleep(0.2)
    return person_id


def _knows(offers, person_id: str, departement: str) -> bool:
    with offers.db.reading() as session:
        facts = PersonFactsRepository(session).get(person_id)
    return facts is not None and facts.departement_code == departement


def subscribe(offers, person_id: str, criteria: dict, client: str = COUNSELLOR):
    return offers.post("/v1/offers/subscriptions", {"person_id": person_id, "criteria": criteria}, client)


def test_a_matching_offer_is_sent_once_per_person_and_offer(offers, broker):
    camille, dominique = registered(offers, broker), registered(offers, broker)
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


def test_saved_searches_belong_to_their_organisation(offers, broker):
    person = registered(offers, broker)
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


def test_saved_searches_need_their_scope_and_known_codes(offers, broker):
    person = registered(offers, broker)
    assert subscribe(offers, person, {"rome_codes": ["D1102"]}, client="boulangerie-nantaise").status_code == 403
    unknown = subscribe(offers, person, {"rome_codes": ["A9999"], "commune_code": "44999", "radius_km": 5})
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.json()["errors"]} == {"criteria.rome_codes", "criteria.commune_code"}
    no_centre = subscribe(offers, person, {"radius_km": 5})
    assert no_centre.status_code == 422 and no_centre.json()["errors"][0]["field"] == "criteria.radius_km"


def test_repeated_codes_are_saved_once_and_still_match(offers, broker):
    """Found by schemathesis: a code listed twice used to file the search twice under one key (500)."""
    person = registered(offers, broker)
    created = subscribe(offers, person, {"departement_codes": ["44", "2B", "44"], "contract_types": ["CDI", "CDI"]})
    assert created.status_code == 201
    assert created.json()["criteria"] == {"departement_codes": ["2B", "44"], "contract_types": ["CDI"]}
    since = broker.end_offsets(MATCHES_TOPIC)
    baker = offers.published(offer(source_offer_id=f"repeat-{person}"))
    matches = offers.events(MATCHES_TOPIC, since, person, 1, timeout=10)
    assert [m["data"]["offer_id"] for m in matches] == [baker["id"]]


def test_a_search_names_only_a_person_the_subscriber_may_know(offers, broker):
    """The mission locale knows the under-26s of its territory; an unknown id and a person it may not
    know get the same 404, on saving and on listing."""
    young, older, unknown = registered(offers, broker), registered(offers, broker, age=40), str(uuid.uuid4())
    assert subscribe(offers, young, {"rome_codes": ["D1102"]}, OTHER_COUNSELLOR).status_code == 201
    refusals = [subscribe(offers, person, {"rome_codes": ["D1102"]}, OTHER_COUNSELLOR) for person in (older, unknown)]
    refusals += [offers.get("/v1/offers/subscriptions", OTHER_COUNSELLOR, person_id=person) for person in (older, unknown)]
    for refused in refusals:
        assert refused.status_code == 404 and refused.headers["content-type"] == "application/problem+json"
    assert len({(r.json()["detail"], r.json()["type"]) for r in refusals}) == 1
    assert subscribe(offers, older, {"rome_codes": ["D1102"]}).status_code == 201  # France Travail knows everyone


def test_no_match_is_sent_for_a_person_the_subscriber_no_longer_knows(offers, broker):
    staying, moving = registered(offers, broker), registered(offers, broker)
    for person in (staying, moving):
        assert subscribe(offers, person, {"rome_codes": ["D1102"]}, OTHER_COUNSELLOR).status_code == 201
    [search] = offers.get("/v1/offers/subscriptions", OTHER_COUNSELLOR, person_id=moving).json()["items"]
    registered(offers, broker, departement="49", event=PERSON_UPDATED, person_id=moving)  # moved to Angers

    assert offers.get(f"/v1/offers/subscriptions/{search['id']}", OTHER_COUNSELLOR).status_code == 404
    listed = offers.get("/v1/offers/subscriptions", OTHER_COUNSELLOR).json()["items"]
    assert search["id"] not in {item["id"] for item in listed}
    since = broker.end_offsets(MATCHES_TOPIC)
    baker = offers.published(offer(source_offer_id=f"visibility-{moving}"))
    assert [m["data"]["offer_id"] for m in offers.events(MATCHES_TOPIC, since, staying, 1, timeout=10)] == [baker["id"]]
    assert offers.events(MATCHES_TOPIC, since, moving, 1, timeout=3) == []
    # Its organisation may still stop it.
    assert offers.service.delete(f"/v1/offers/subscriptions/{search['id']}",
                                 headers=offers.headers(OTHER_COUNSELLOR)).status_code == 200


def test_a_person_sees_the_searches_saved_for_them_and_the_offers_sent_nothing_of_others(offers, broker):
    camille, dominique = registered(offers, broker), registered(offers, broker)
    mine = subscribe(offers, camille, {"rome_codes": ["D1102"], "departement_codes": ["44"]}).json()
    subscribe(offers, dominique, {"rome_codes": ["D1102"]})
    assert offers.get("/v1/me/saved-searches").status_code == 403  # an organisation never passes
    since = broker.end_offsets(MATCHES_TOPIC)
    baker = offers.published(offer(source_offer_id=f"me-{camille}"))
    offers.events(MATCHES_TOPIC, since, camille, 1)
    offers.events(MATCHES_TOPIC, since, dominique, 1)

    seen = offers.service.get("/v1/me/saved-searches", headers=offers.tokens.person_headers(camille))
    assert seen.status_code == 200, seen.text
    [search] = seen.json()["items"]
    assert search["id"] == mine["id"] and search["criteria"] == mine["criteria"]
    assert search["saved_by"] == {"org_id": mine["org_id"], "org_type": "france_travail"}
    assert "created_by" not in str(search) and "territor" not in str(search)  # the counsellor: their organisation only
    assert search["matches_total"] == 1 and [m["offer"]["id"] for m in search["matches"]] == [baker["id"]]
    stranger = offers.service.get("/v1/me/saved-searches", headers=offers.tokens.person_headers(str(uuid.uuid4())))
    assert stranger.json() == {"items": []}
