"""The legality check once for all (blocking quarantines, warnings travel with the offer) and the
deduplication across boards (one canonical offer, every source listed)."""
import pytest

from services.offers.tests.integration.conftest import (
    ADMIN, BOARD, COUNSELLOR, EMPLOYER, OFFERS_TOPIC, OTHER_EMPLOYER, offer,
)

pytestmark = pytest.mark.integration
AGE_LIMIT = offer(description=offer()["description"] + " Âge maximum : 30 ans.")
YOUNG_TEAM = offer(description=offer()["description"] + " Rejoignez une équipe jeune et dynamique.")


def test_a_blocking_finding_quarantines_the_offer_and_tells_the_employer(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    answer = offers.publish(AGE_LIMIT)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "quarantined"
    [finding] = [f for f in body["findings"] if f["severity"] == "blocking"]
    assert finding["rule_id"] == "age_limit" and "30 ans" in finding["excerpt"] and finding["legal_basis"]
    [event] = offers.events(OFFERS_TOPIC, since, body["id"], 1)
    assert event["type"] == "offers.offer.quarantined.v1"
    assert event["data"]["findings"][0]["rule_id"] == "age_limit"
    # Not distributed: counsellors neither find nor read it; its employer does, with the findings.
    assert offers.search(q="boulanger")["total"] == 0
    assert offers.get(f"/v1/offers/{body['id']}").status_code == 404
    mine = offers.get(f"/v1/offers/{body['id']}", EMPLOYER)
    assert mine.status_code == 200 and mine.json()["findings"] == body["findings"]
    assert offers.search(EMPLOYER, status="quarantined")["total"] == 1
    assert offers.search(COUNSELLOR, status="quarantined")["total"] == 0
    assert offers.search(ADMIN, status="quarantined")["total"] == 1


def test_a_corrected_resend_releases_the_offer(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    quarantined = offers.published(AGE_LIMIT)
    fixed = offers.published(offer())
    assert (fixed["id"], fixed["status"], fixed["findings"]) == (quarantined["id"], "published", [])
    assert offers.types(OFFERS_TOPIC, since, fixed["id"], 2) == ["offers.offer.quarantined.v1",
                                                                  "offers.offer.published.v1"]
    assert offers.search(q="boulanger")["total"] == 1


def test_a_warning_publishes_the_offer_with_the_finding_attached(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    body = offers.published(YOUNG_TEAM)
    assert body["status"] == "published"
    assert [(f["rule_id"], f["severity"]) for f in body["findings"]] == [("age_suggestion", "warning")]
    [event] = offers.events(OFFERS_TOPIC, since, body["id"], 1)
    assert event["type"] == "offers.offer.published.v1" and event["data"]["warnings"][0]["rule_id"] == "age_suggestion"
    assert offers.search(q="boulanger")["total"] == 1


def test_lawful_phrasings_are_not_flagged(offers):
    body = offers.published(offer(description=offer()["description"] + " Jeune entreprise, travail en équipe de nuit. "
                                  "Cinq ans d'expérience appréciés."))
    assert (body["status"], body["findings"]) == ("published", [])


def test_the_same_job_on_another_board_becomes_one_more_source(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    direct = offers.published(offer(salary=None))
    board_copy = offer(source_offer_id="EO-778812", url="https://emploi-ouest.example/offres/EO-778812",
                       description="Travail en équipe, du mardi au samedi. " + offer()["description"])
    answer = offers.publish(board_copy, BOARD)
    assert answer.status_code == 200, answer.text
    merged = answer.json()
    assert (merged["id"], merged["outcome"], merged["sources"]) == (direct["id"], "merged", 2)
    assert merged["salary"]["min_yearly_eur"] == 22800  # the copy brought the salary the direct offer lacked
    assert offers.search(q="boulanger")["total"] == 1
    sources = offers.get(f"/v1/offers/{direct['id']}/distribution", EMPLOYER).json()["sources"]
    assert [(s["source"], s["primary"]) for s in sources] == [("employer-44781234800012", True), ("emploi-ouest", False)]
    assert sources[1]["similarity"] >= 0.55
    # No second publication: the canonical offer changed (salary), so one `updated` event.
    types = offers.types(OFFERS_TOPIC, since, direct["id"], 3, timeout=8)
    assert types == ["offers.offer.published.v1", "offers.offer.updated.v1"]


def test_an_identical_copy_changes_nothing_in_the_canonical_offer(offers, broker):
    since = broker.end_offsets(OFFERS_TOPIC)
    direct = offers.published(offer())
    merged = offers.published(offer(source_offer_id="EO-1"), BOARD)
    assert (merged["id"], merged["outcome"], merged["version"]) == (direct["id"], "merged", 1)
    assert offers.types(OFFERS_TOPIC, since, direct["id"], 2, timeout=8) == ["offers.offer.published.v1"]


def test_look_alikes_stay_distinct_offers(offers):
    bakery = offers.published(offer())
    other_branch = offers.published(offer(**{"employer.siret": "79233111800010", "source_offer_id": "X-1"}), BOARD)
    other_town = offers.published(offer(**{"place.commune_code": "44184", "source_offer_id": "X-2"}), BOARD)
    other_job = offers.published(offer(source_offer_id="X-3", title="Vendeur en boulangerie (H/F)", rome_code="D1106",
                                       description="Vente du pain et des viennoiseries en boutique, encaissement, "
                                                   "mise en rayon, accueil des clients."), BOARD)
    ids = {bakery["id"], other_branch["id"], other_town["id"], other_job["id"]}
    assert len(ids) == 4 and all(o["outcome"] == "created" for o in (other_branch, other_town, other_job))
    assert offers.search(q="boulangerie")["total"] == 4


def test_a_quarantined_copy_never_merges_into_a_clean_offer(offers):
    clean = offers.published(offer())
    dirty = offers.published(offer(source_offer_id="EO-2", description=AGE_LIMIT["description"]), BOARD)
    assert dirty["id"] != clean["id"] and dirty["status"] == "quarantined"


def test_an_employer_publishes_for_its_own_siret_only(offers):
    other = offers.publish(offer(), OTHER_EMPLOYER)
    assert other.status_code == 403 and other.json()["errors"][0]["field"] == "employer.siret"
    without_siret = offers.publish(offer(**{"employer.siret": None}))
    assert without_siret.status_code == 201 and without_siret.json()["employer"]["siret"] == "44781234800012"
