"""An offer's life: filled (time to fill recorded), withdrawn, expired at its end date; each change
its own event, If-Match on every change, and only its publisher or employer may make it."""
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.offers.domain.siret import with_check_digit
from services.offers.tests.integration.conftest import (
    AGENCY, BOARD, COUNSELLOR, EMPLOYER, OFFERS_TOPIC, OTHER_EMPLOYER, offer,
)

pytestmark = pytest.mark.integration


def test_filling_needs_the_current_etag_and_records_the_time_to_fill(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    published = offers.published(offer())
    path = f"/v1/offers/{published['id']}/fill"
    assert offers.post(path).status_code == 428
    assert offers.post(path, **{"If-Match": '"7"'}).status_code == 412
    filled = offers.post(path, **{"If-Match": '"1"'})
    assert filled.status_code == 200, filled.text
    assert (filled.json()["status"], filled.headers["ETag"]) == ("filled", '"2"')
    assert filled.json()["closed_at"] is not None
    _, event = offers.events(OFFERS_TOPIC, since, published["id"], 2)
    assert event["type"] == "offers.offer.filled.v1" and event["data"]["time_to_fill_days"] >= 0
    # Filled: out of search and facets, still readable, and no second change.
    assert offers.search(q="boulanger")["total"] == 0 and offers.search()["facets"]["contract_type"] == []
    assert offers.get(f"/v1/offers/{published['id']}").json()["status"] == "filled"
    assert offers.search(status="filled")["total"] == 1
    again = offers.post(f"/v1/offers/{published['id']}/withdraw", **{"If-Match": '"2"'})
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


def test_a_closed_offer_is_no_longer_a_duplicate_target(offers):
    """The same job posted again once the first offer was filled is a new offer, not a merge."""
    first = offers.published(offer())
    assert offers.post(f"/v1/offers/{first['id']}/fill", **{"If-Match": '"1"'}).status_code == 200
    again = offers.publish(offer(source_offer_id="EO-again"), BOARD)
    assert again.status_code == 201 and again.json()["outcome"] == "created", again.text
    assert again.json()["id"] != first["id"]


def test_withdrawing_says_why(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    published = offers.published(offer())
    answer = offers.post(f"/v1/offers/{published['id']}/withdraw", {"reason": "Poste supprimé."}, **{"If-Match": '"1"'})
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    _, event = offers.events(OFFERS_TOPIC, since, published["id"], 2)
    assert (event["type"], event["data"]["reason"]) == ("offers.offer.withdrawn.v1", "Poste supprimé.")


def test_an_offer_expires_the_day_after_its_last_open_day(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    ending = offers.published(offer(ends_on=(utcnow().date() + timedelta(days=1)).isoformat()))
    lasting = offers.published(offer(source_offer_id="other", ends_on="2999-12-31", **{"place.commune_code": "49007"}))
    lifecycle, db = offers.service.app.state.lifecycle, offers.db
    assert lifecycle.expire_due(db, utcnow() + timedelta(days=1)) == 0  # still its last open day
    assert lifecycle.expire_due(db, utcnow() + timedelta(days=2)) == 1
    assert lifecycle.expire_due(db, utcnow() + timedelta(days=3)) == 0  # once
    assert offers.get(f"/v1/offers/{ending['id']}").json()["status"] == "expired"
    assert offers.get(f"/v1/offers/{lasting['id']}").json()["status"] == "published"
    _, event = offers.events(OFFERS_TOPIC, since, ending["id"], 2)
    assert event["type"] == "offers.offer.expired.v1"
    assert {item["value"]: item["count"] for item in offers.search()["facets"]["contract_type"]} == {"CDI": 1}


def test_only_the_publisher_or_the_employer_changes_an_offer(offers):
    by_board = offers.published(offer(source_offer_id="EO-9"), BOARD)
    path = f"/v1/offers/{by_board['id']}/fill"
    assert offers.post(path, client=OTHER_EMPLOYER, **{"If-Match": '"1"'}).status_code == 403
    assert offers.post(path, client=AGENCY, **{"If-Match": '"1"'}).status_code == 403
    assert offers.post(path, client=COUNSELLOR, **{"If-Match": '"1"'}).status_code == 403  # no publish scope
    assert offers.post(path, client=EMPLOYER, **{"If-Match": '"1"'}).status_code == 200  # its SIRET


def test_a_quarantined_offer_is_unknown_to_others_and_can_be_withdrawn_by_its_owner(offers):
    body = offer(description=offer()["description"] + " Candidats de moins de 30 ans uniquement.")
    quarantined = offers.published(body, BOARD)
    assert quarantined["status"] == "quarantined"
    withdraw = f"/v1/offers/{quarantined['id']}/withdraw"
    assert offers.post(withdraw, client=OTHER_EMPLOYER, **{"If-Match": '"1"'}).status_code == 404
    assert offers.get(f"/v1/offers/{quarantined['id']}/distribution", OTHER_EMPLOYER).status_code == 404
    assert offers.post(withdraw, client=BOARD, **{"If-Match": '"1"'}).status_code == 200


def test_attractiveness_compares_with_the_same_rome_in_the_same_departement(offers):
    target = offers.published(offer())
    for number, monthly in enumerate((1700, 1750, 1800, 2600)):
        siret = with_check_digit(f"792331118{number:04d}")  # four other bakeries
        offers.published(offer(source_offer_id=f"peer-{number}", salary={"min": monthly, "period": "month"},
                               **{"employer.siret": siret}), BOARD)
    offers.published(offer(source_offer_id="elsewhere", salary={"min": 5000, "period": "month"},
                           **{"place.commune_code": "49007", "employer.siret": "79233111800010"}), BOARD)
    answer = offers.get(f"/v1/offers/{target['id']}/attractiveness")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["rome_code"], body["departement_code"], body["peers"]) == ("D1102", "44", 4)
    salary = body["dimensions"]["salary"]
    assert (salary["peer_count"], salary["percentile"]) == (4, 75.0)  # 2 050 € a month: above three of four
    assert offers.get("/v1/offers/00000000-0000-0000-0000-000000000000/attractiveness").status_code == 404
