"""Every ingest path: native JSON, a schema.org JobPosting, an Offres d'emploi v2 offer; re-sends,
idempotency and the problems a publisher gets for what cannot be read."""
import pytest

from services.offers.api import examples
from services.offers.tests.integration.conftest import BOARD, COUNSELLOR, EMPLOYER, OFFERS_TOPIC, offer

pytestmark = pytest.mark.integration


def test_a_native_offer_is_normalised_published_and_announced_once(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    answer = offers.publish(offer())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert answer.headers["Location"] == f"/v1/offers/{body['id']}"
    assert (body["outcome"], body["status"], body["sources"]) == ("created", "published", 1)
    assert body["place"]["departement_code"] == "44" and body["rome"]["code"] == "D1102"
    assert body["salary"]["min_yearly_eur"] == 22800  # 1 900 € a month, 12 months
    [event] = offers.events(OFFERS_TOPIC, since, body["id"], 1)
    assert event["type"] == "offers.offer.published.v1" and event["data"]["employer"]["siret"] == examples.SIRET
    read = offers.get(f"/v1/offers/{body['id']}")
    assert read.status_code == 200 and read.headers["ETag"] == '"1"'


def test_a_job_posting_is_read_from_its_json_ld(offers):
    answer = offers.service.post("/v1/offers", json=examples.JOB_POSTING, headers=offers.headers(
        BOARD, **{"Content-Type": "application/ld+json"}))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["title"] == examples.JOB_POSTING["title"] and body["place"]["departement_code"] == "44"
    assert body["salary"]["min_yearly_eur"] is not None
    sources = offers.get(f"/v1/offers/{body['id']}/distribution", BOARD).json()["sources"]
    assert [s["source"] for s in sources] == ["emploi-ouest"]  # the board's own source, from its token


def test_an_offres_d_emploi_v2_offer_is_read_with_the_format_parameter(offers):
    answer = offers.publish(examples.FT_V2, BOARD, params={"format": "ft-v2"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["rome"] == {**body["rome"], "code": examples.FT_V2["romeCode"], "method": "given"}
    assert body["place"]["commune_code"] == examples.FT_V2["lieuTravail"]["commune"]


def test_sending_the_same_source_offer_id_again_updates_the_offer(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    first = offers.published(offer())
    again = offers.publish(offer(**{"salary.max": 2400}))
    assert again.status_code == 200, again.text
    assert (again.json()["id"], again.json()["outcome"], again.json()["version"]) == (first["id"], "updated", 2)
    published, updated = offers.events(OFFERS_TOPIC, since, first["id"], 2)
    assert (published["type"], updated["type"]) == ("offers.offer.published.v1", "offers.offer.updated.v1")
    assert updated["data"]["changed"] == ["salary"] and updated["data"]["version"] == 2
    unchanged = offers.publish(offer(**{"salary.max": 2400}))
    assert unchanged.json()["outcome"] == "unchanged" and unchanged.json()["version"] == 2
    assert offers.search(q="boulanger")["total"] == 1


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(offers):
    first = offers.publish(offer(), **{"Idempotency-Key": "bakery-1"})
    replay = offers.publish(offer(), **{"Idempotency-Key": "bakery-1"})
    assert replay.status_code == first.status_code == 201
    assert replay.json() == first.json() and replay.headers["Idempotent-Replayed"] == "true"
    other = offers.publish(offer(title="Pâtissier (H/F)"), **{"Idempotency-Key": "bakery-1"})
    assert other.status_code == 409 and other.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("change, field", [
    ({"place.commune_code": "99999"}, "place.commune_code"),
    ({"rome_code": "Z9999"}, "rome_code"),
    ({"rome_code": "A9999"}, "rome_code"),
    ({"employer.siret": "44781234800013"}, "employer.siret"),
    ({"salary.period": "week"}, "salary.period"),
    ({"colour": "blue"}, "colour"),
    ({"title": None}, "title"),
])
def test_what_cannot_be_normalised_is_a_422_naming_the_field(offers, change, field):
    answer = offers.publish(offer(**change), "platform-admin")
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in answer.json()["errors"]}


def test_a_body_that_is_not_an_offer_is_refused_clearly(offers):
    headers = offers.headers(EMPLOYER, **{"Content-Type": "application/json"})
    not_json = offers.service.post("/v1/offers", content=b"{not json", headers=headers)
    assert not_json.status_code == 422 and not_json.json()["errors"][0]["field"] == "body"
    a_list = offers.service.post("/v1/offers", json=[offer()], headers=offers.headers(EMPLOYER))
    assert a_list.status_code == 422
    text = offers.service.post("/v1/offers", content=b"title", headers=offers.headers(
        EMPLOYER, **{"Content-Type": "text/plain"}))
    assert text.status_code == 415 and text.headers["content-type"] == "application/problem+json"
    garbage = offers.publish({"@type": "Event", "name": "Salon"}, BOARD, params={"format": "job-posting"})
    assert garbage.status_code == 422, garbage.text


def test_reading_needs_the_read_scope_and_publishing_the_publish_scope(offers):
    assert offers.publish(offer(), COUNSELLOR).status_code == 403
    assert offers.service.get("/v1/offers", headers=offers.tokens.headers(EMPLOYER, {"offers:publish"})).status_code == 403
    assert offers.service.get("/v1/offers").status_code == 401
