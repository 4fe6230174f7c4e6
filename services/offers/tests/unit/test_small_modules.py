"""Geography, attractiveness, saved searches and the generator."""
from __future__ import annotations

from collections import Counter

import pytest

from services.offers.domain.attractiveness import compare, percentile_rank
from services.offers.domain.geo import haversine_km
from services.offers.domain.legality import check, is_blocking
from services.offers.domain.normalise import normalise
from services.offers.domain.places import communes_within, place_of
from services.offers.domain.subscriptions import InvalidSearch, SavedSearch, matches
from services.offers.tests.unit.builders import draft
from tests.bench.offers_dataset import generate_feed, generate_offers


def test_haversine():
    assert haversine_km(48.8534, 2.3488, 45.7491, 4.8479) == pytest.approx(392, abs=3)  # Paris - Lyon
    assert haversine_km(47.2172, -1.5534, 47.2172, -1.5534) == 0.0


def test_communes_within_a_radius_nearest_first():
    nantes = place_of("44109")
    around = communes_within(nantes.latitude, nantes.longitude, 100)
    assert around[0] == (0.0, "44109")
    assert [km for km, _ in around] == sorted(km for km, _ in around) and all(km <= 100 for km, _ in around)
    assert "49007" in {code for _, code in around}  # Angers, ~80 km
    assert "75056" not in {code for _, code in around}  # Paris, ~340 km


# --- attractiveness ---

def test_percentile_rank_counts_ties_half():
    assert percentile_rank(5, [1, 2, 3, 4]) == 100.0
    assert percentile_rank(0, [1, 2, 3, 4]) == 0.0
    assert percentile_rank(3, [1, 2, 3, 4]) == 62.5
    assert percentile_rank(3, [3, 3]) == 50.0
    assert percentile_rank(3, []) is None


def test_compare_on_salary_duration_and_hours():
    offer = draft(contract={"type": "CDD", "duration_months": 6}, salary={"min": 2000, "max": 2200, "period": "month"},
                  working_time={"weekly_hours": 30})
    result = compare(offer, salaries=[20000, 24000, 30000, 36000], durations=[3, 6, 12, None],
                     weekly_hours=[35, 35, 24])
    assert result["salary"] == {"value": 25200.0, "percentile": 50.0, "peer_count": 4, "median": 27000.0}
    assert result["contract_duration_months"] == {"value": 6.0, "percentile": 37.5, "peer_count": 4, "median": 9.0}
    assert result["weekly_hours"] == {"value": 30.0, "percentile": 33.3, "peer_count": 3, "median": 35}


def test_compare_a_cdi_and_an_offer_without_salary():
    result = compare(draft(salary=None), salaries=[20000], durations=[None, None, 6], weekly_hours=[])
    assert result["salary"] == {"value": None, "percentile": None, "peer_count": 1, "median": 20000}
    assert result["contract_duration_months"] == {"value": None, "percentile": 66.7, "peer_count": 3, "median": None}
    assert result["weekly_hours"]["percentile"] is None


# --- saved searches ---

OFFER = draft(title="Serveur / Serveuse H/F", description="Brasserie nantaise : service en salle et en terrasse.",
              accessible_to_disabled=True)


@pytest.mark.parametrize("search, expected", [
    (SavedSearch(), True),
    (SavedSearch(text="serveurs terrasses"), True),  # plurals and case folded as in the index
    (SavedSearch(text="serveur cuisine"), False),
    (SavedSearch(rome_codes=frozenset({"G1803", "G1602"})), True),
    (SavedSearch(rome_codes=frozenset({"G1602"})), False),
    (SavedSearch(contract_types=frozenset({"CDD"})), False),
    (SavedSearch(departement_codes=frozenset({"44"})), True),
    (SavedSearch(departement_codes=frozenset({"35"})), False),
    (SavedSearch(commune_code="44109"), True),
    (SavedSearch(commune_code="44184"), False),
    (SavedSearch(commune_code="44184", radius_km=60), True),  # Saint-Nazaire - Nantes: about 50 km
    (SavedSearch(commune_code="44184", radius_km=40), False),
    (SavedSearch(min_salary_yearly=24000), True),  # top of the range reaches it
    (SavedSearch(min_salary_yearly=24001), False),
    (SavedSearch(accessible_to_disabled=True), True),
])
def test_matches(search, expected):
    assert matches(search, OFFER) is expected


def test_an_offer_without_salary_does_not_match_a_minimum():
    assert not matches(SavedSearch(min_salary_yearly=1), draft(salary=None))


def test_an_offer_not_open_to_disabled_workers():
    assert not matches(SavedSearch(accessible_to_disabled=True), draft(accessible_to_disabled=False))


def test_saved_search_from_dict_checks_everything():
    with pytest.raises(InvalidSearch) as caught:
        SavedSearch.checked({"contract_types": ["STAGE"], "commune_code": "99999", "radius_km": 10,
                               "departement_codes": ["00"]})
    assert {e["field"] for e in caught.value.errors} == {"contract_types", "commune_code", "departement_codes"}
    search = SavedSearch.checked({"text": "cariste", "rome_codes": ["n1101"], "commune_code": "44109", "radius_km": 30})
    assert search.rome_codes == {"N1101"} and search.to_dict()["radius_km"] == 30


# --- the generator ---

def test_generated_offers_are_valid_french_and_clean():
    offers = list(generate_offers(1500, seed=3, problem_share=0.0))
    drafts = [normalise(o, source="bench") for o in offers]
    assert len({d.source_offer_id for d in drafts}) == 1500
    assert not any(is_blocking(check(d)) for d in drafts)
    contracts = Counter(d.contract_type for d in drafts)
    assert 0.38 < contracts["CDI"] / 1500 < 0.52 and 0.23 < contracts["CDD"] / 1500 < 0.37
    assert 0.10 < contracts["MIS"] / 1500 < 0.20
    romes = Counter(d.rome.code for d in drafts)
    assert romes["K2204"] > romes["F1201"]  # cleaning offers far outnumber site managers
    assert len(romes) >= 35 and len({d.place.departement_code for d in drafts}) >= 60


def test_generated_problem_offers_are_caught():
    drafts = [normalise(o, source="bench") for o in generate_offers(300, seed=4, problem_share=1.0)]
    flagged = sum(1 for d in drafts if check(d))
    assert flagged == 300


def test_generation_is_deterministic():
    assert list(generate_offers(20, seed=9)) == list(generate_offers(20, seed=9))
    assert list(generate_offers(20, seed=9)) != list(generate_offers(20, seed=10))


def test_feed_reposts_the_same_jobs_on_other_boards():
    feed = list(generate_feed(400, seed=2, repost_share=0.3))
    assert len(feed) == 400 and len({source for source, _ in feed}) == 4
    titles = Counter((o["employer"]["name"], o["place"]["commune_code"], o["rome_code"]) for _, o in feed)
    assert sum(1 for count in titles.values() if count > 1) >= 60


def test_saved_search_files_itself_under_each_code_once():
    search = SavedSearch.checked({"departement_codes": ["44", "2b", "44"], "contract_types": ["CDI", "CDI"]})
    assert search.candidate_keys() == ["dep:2B", "dep:44"]
    assert search.to_dict() == {"contract_types": ["CDI"], "departement_codes": ["2B", "44"]}
    assert SavedSearch.from_dict(search.to_dict()) == search
    assert SavedSearch.checked({"rome_codes": ["D1102", "d1102"]}).candidate_keys() == ["rome:D1102"]
    assert SavedSearch.checked({"departement_codes": ["44"], "commune_code": "44109", "radius_km": 10}).candidate_keys() == ["any"]


def test_saved_search_names_unknown_rome_codes():
    with pytest.raises(InvalidSearch) as caught:
        SavedSearch.checked({"rome_codes": ["A9999", "D1102"]})
    assert caught.value.errors == [{"field": "rome_codes", "message": "unknown ROME codes A9999"}]
