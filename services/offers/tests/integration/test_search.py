"""Search: French full text, every filter, facets over the whole result, sorts and cursor pages."""
import pytest

from services.offers.tests.integration.conftest import BOARD, offer

pytestmark = pytest.mark.integration
GARAGE = "52314567000015"
CATALOGUE = {
    "baker": offer(source_offer_id="S1", accessible_to_disabled=True),
    "pastry": offer(source_offer_id="S2", title="Boulanger pâtissier / Boulangère pâtissière (H/F)", description="Pâtisserie fine et pains "
                    "spéciaux pour notre boutique du port.", **{"place.commune_code": "44184", "contract.type": "CDD",
                    "contract.duration_months": 6, "salary.min": 2000, "salary.max": None, "accessible_to_disabled": False}),
    "seller": offer(source_offer_id="S3", accessible_to_disabled=False, title="Vendeur en boulangerie (H/F)", rome_code="D1106", salary=None,
                    description="Vente, encaissement et mise en rayon en boutique.", **{"place.commune_code": "49007"}),
    "cook": offer(source_offer_id="S4", accessible_to_disabled=False, title="Cuisinier (H/F)", rome_code="G1602", description="Cuisine traditionnelle "
                  "pour un restaurant d'entreprise.", salary={"min": 12, "period": "hour"},
                  **{"contract.type": "MIS", "contract.duration_months": 3, "employer.siret": GARAGE,
                     "employer.name": "Garage Angevin"}),
    "carer": offer(source_offer_id="S5", title="Aide-soignant de nuit (H/F)", rome_code="J1501", description="Soins "
                   "d'hygiène et de confort en EHPAD, travail de nuit.", accessible_to_disabled=True,
                   salary={"min": 2100, "max": 2300, "period": "month"}, **{"place.commune_code": "75056"}),
    "forklift": offer(source_offer_id="S6", accessible_to_disabled=False, title="Cariste (H/F)", rome_code="N1101", salary=None,
                      description="Conduite de chariot élévateur en entrepôt logistique.",
                      **{"place.commune_code": "49007", "contract.type": "CDD", "contract.duration_months": 2}),
}


@pytest.fixture
def catalogue(offers) -> dict[str, str]:
    """Name -> offer id, each published by a job board."""
    ids = {}
    for name, body in CATALOGUE.items():
        published = offers.published(body, BOARD)
        assert published["status"] == "published", (name, published["findings"])
        ids[name] = published["id"]
    return ids


def found(offers, **params) -> set[str]:
    page = offers.search(limit=100, **params)
    assert page["total"] == len(page["items"])
    return {item["id"] for item in page["items"]}


def names(catalogue, *keys) -> set[str]:
    return {catalogue[key] for key in keys}


def test_text_folds_accents_case_and_plurals(offers, catalogue):
    assert found(offers, q="BOULANGÈRES") == names(catalogue, "baker", "pastry")
    assert found(offers, q="patissiere") == names(catalogue, "pastry")
    assert found(offers, q="aides-soignants") == names(catalogue, "carer")
    assert found(offers, q="chariot entrepot") == names(catalogue, "forklift")  # every word must match
    assert found(offers, q="chariot boulanger") == set()
    assert found(offers, q="Angers") == names(catalogue, "seller", "forklift")  # the commune's name is indexed


@pytest.mark.parametrize("params, expected", [
    ({"rome_code": "D1102"}, {"baker", "pastry"}),
    ({"contract_type": "CDI"}, {"baker", "seller", "carer"}),
    ({"departement_code": "44"}, {"baker", "pastry", "cook"}),
    ({"commune_code": "49007"}, {"seller", "forklift"}),
    ({"commune_code": "44109", "radius_km": 60}, {"baker", "pastry", "cook"}),  # Saint-Nazaire ~50 km, Angers ~80 km
    ({"commune_code": "44109", "radius_km": 10}, {"baker", "cook"}),
    ({"min_salary": 26000}, {"baker", "carer"}),
    ({"employer": GARAGE}, {"cook"}),
    ({"accessible_to_disabled": "true"}, {"baker", "carer"}),
    ({"accessible_to_disabled": "false", "departement_code": "49"}, {"seller", "forklift"}),
    ({"published_since": "2000-01-01T00:00:00Z", "contract_type": "CDD"}, {"pastry", "forklift"}),
    ({"published_since": "2999-01-01T00:00:00Z"}, set()),
    ({"q": "boulangerie", "departement_code": "44", "contract_type": "CDD"}, {"pastry"}),
])
def test_each_filter(offers, catalogue, params, expected):
    assert found(offers, **params) == names(catalogue, *expected)


def facet(page, name) -> dict:
    return {item["value"]: item["count"] for item in page["facets"][name]}


@pytest.mark.parametrize("params", [
    {"departement_code": "44"},  # read from the facet-count table
    {"departement_code": "44", "min_salary": 1},  # counted over the filtered offers
    {"commune_code": "44109", "radius_km": 60},  # counted over the radius
])
def test_facets_count_every_match_not_only_the_page(offers, catalogue, params):
    page = offers.search(limit=1, **params)
    assert page["total"] == 3 and len(page["items"]) == 1
    assert facet(page, "contract_type") == {"CDI": 1, "CDD": 1, "MIS": 1}
    assert facet(page, "departement_code") == {"44": 3}
    assert facet(page, "rome_code") == {"D1102": 2, "G1602": 1}
    labels = {item["value"]: item["label"] for item in page["facets"]["rome_code"]}
    assert labels["D1102"] == "Boulangerie - viennoiserie"


def test_facets_of_a_text_search(offers, catalogue):
    page = offers.search(q="boulanger")
    assert page["total"] == 2
    assert facet(page, "contract_type") == {"CDI": 1, "CDD": 1} and facet(page, "rome_code") == {"D1102": 2}
    assert offers.search(q="boulanger", facets="false")["facets"] is None


def test_the_whole_catalogue_pages_by_date_without_gaps_or_repeats(offers, catalogue):
    seen, cursor, pages = [], None, 0
    while True:
        page = offers.search(limit=4, sort="date", **({"cursor": cursor} if cursor else {}))
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 2 and sorted(seen) == sorted(catalogue.values())
    assert seen == list(reversed(list(catalogue.values())))  # newest first


def test_relevance_ranks_title_matches_first_and_pages_too(offers, catalogue):
    first = offers.search(q="boulangerie", limit=1)
    assert first["total"] == 5  # by the employer's name ("Boulangerie Nantaise") or the ROME label, or the title
    assert first["items"][0]["id"] == catalogue["seller"]  # "boulangerie" in its title
    rest = offers.search(q="boulangerie", limit=5, cursor=first["next_cursor"])
    assert {item["id"] for item in rest["items"]} == names(catalogue, "baker", "pastry", "carer", "forklift")
    assert rest["next_cursor"] is None


def test_distance_sort_gives_the_distance(offers, catalogue):
    page = offers.search(commune_code="44109", radius_km=60, sort="distance")
    distances = [item["distance_km"] for item in page["items"]]
    assert distances == sorted(distances) and distances[0] == 0.0 and 40 < distances[-1] < 60
    assert page["items"][-1]["id"] == catalogue["pastry"]


@pytest.mark.parametrize("params, field", [
    ({"rome_code": "A9999"}, "query.rome_code"),  # every refusal names the parameter as validation does
    ({"commune_code": "44999"}, "query.commune_code"),
    ({"commune_code": "44999", "radius_km": 10}, "query.commune_code"),
    ({"radius_km": 10}, "query.radius_km"),
    ({"sort": "distance"}, "query.sort"),
    ({"cursor": "bm90LWEtY3Vyc29y"}, "query.cursor"),
    ({"contract_type": "STAGE"}, "query.contract_type"),
    ({"commune_code": "1A123"}, "query.commune_code"),  # no département 1A: Corsica is 2A and 2B
])
def test_a_bad_search_is_a_422_naming_the_parameter(offers, params, field):
    answer = offers.get("/v1/offers", **params)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in answer.json()["errors"]}


def test_a_cursor_of_another_sort_is_refused(offers, catalogue):
    cursor = offers.search(limit=1, sort="date")["next_cursor"]
    answer = offers.get("/v1/offers", q="boulanger", sort="relevance", cursor=cursor)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "query.cursor"
