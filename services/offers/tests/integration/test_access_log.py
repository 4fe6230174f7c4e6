"""An organisation's reads and writes of the searches saved for a person are told to the person's access
log (offers.accesses.v1, which the dossier keeps), on SQLite and PostgreSQL with real Kafka: a list, once
for each person it shows; the person's own reads, a refused read and reads of offers are not."""
import pytest

from services.offers.published import ACCESS_RECORDED
from services.offers.tests.integration.conftest import COUNSELLOR
from services.offers.tests.integration.test_subscriptions import OTHER_COUNSELLOR, registered, subscribe

pytestmark = pytest.mark.integration

ACCESSES = ACCESS_RECORDED.topic.address
AGENCY = {"client_id": "ft-agence-nantes", "org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}


def told(offers, since, person_id: str, count: int) -> list[tuple]:
    events = offers.events(ACCESSES, since, person_id, count)
    assert all(e["type"] == ACCESS_RECORDED.name and e["data"]["by"] == AGENCY and e["data"]["purpose"] is None
               and e["data"]["service"] == "offers" and e["data"]["sections"] == ["saved_searches"] for e in events)
    return [(e["data"]["action"], e["data"]["access"]) for e in events]


def test_an_organisations_reads_and_writes_of_saved_searches_are_told_the_persons_own_are_not(offers, broker):
    since = broker.end_offsets(ACCESSES)
    camille, dominique = registered(offers, broker), registered(offers, broker)
    created = subscribe(offers, camille, {"rome_codes": ["D1102"]})
    assert created.status_code == 201, created.text
    assert subscribe(offers, dominique, {"rome_codes": ["D1102"]}).status_code == 201
    path = f"/v1/offers/subscriptions/{created.json()['id']}"
    assert offers.get(path).status_code == 200
    assert offers.get(path, OTHER_COUNSELLOR).status_code == 404  # not its search: nothing read, nothing told
    assert offers.service.get("/v1/me/saved-searches", headers=offers.tokens.person_headers(camille)).status_code == 200
    assert offers.search(q="boulanger") is not None  # offers are nobody's data
    assert offers.get("/v1/offers/subscriptions", person_id=camille).status_code == 200
    listed = offers.get("/v1/offers/subscriptions", limit=100).json()["items"]
    assert {item["person_id"] for item in listed} == {camille, dominique}
    assert offers.service.delete(path, headers=offers.headers(COUNSELLOR)).status_code == 200

    assert told(offers, since, camille, 5) == [
        ("save_search", "write"), ("read_saved_search", "read"), ("list_saved_searches", "read"),
        ("list_saved_searches", "read"), ("stop_saved_search", "write")]
    assert told(offers, since, dominique, 2) == [("save_search", "write"), ("list_saved_searches", "read")]
