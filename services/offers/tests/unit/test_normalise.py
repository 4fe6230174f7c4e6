from __future__ import annotations

import json
from datetime import date

import pytest

from services.offers.domain.model import InvalidOffer, OfferDraft
from services.offers.domain.normalise import normalise, yearly_eur
from services.offers.tests.unit.builders import VALID_SIRET, draft, native


def errors_of(raw) -> dict[str, str]:
    with pytest.raises(InvalidOffer) as caught:
        normalise(raw, source="test")
    return {error["field"]: error["message"] for error in caught.value.errors}


def test_a_complete_offer():
    offer = draft(starts_on="2024-09-02", ends_on="2024-07-31", positions=2, accessible_to_disabled=True,
                  url="https://example.fr/offre/1", source_offer_id="BP-12")
    assert offer.source == "test" and offer.source_offer_id == "BP-12"
    assert offer.employer.siret == VALID_SIRET
    assert offer.place.commune_name == "Nantes"
    assert (offer.place.departement_code, offer.place.region_code) == ("44", "52")
    assert offer.place.latitude == pytest.approx(47.2172)
    assert (offer.rome.code, offer.rome.method, offer.rome.confidence) == ("G1803", "given", 1.0)
    assert offer.rome.label == "Service en restauration"
    assert (offer.contract_type, offer.working_time, offer.weekly_hours) == ("CDI", "full_time", 35.0)
    assert (offer.salary.min_yearly_eur, offer.salary.max_yearly_eur) == (22200, 24000)
    assert offer.starts_on == date(2024, 9, 2) and offer.positions == 2 and offer.accessible_to_disabled


def test_every_error_is_reported_at_once():
    raw = native(title="  ", employer={"siret": "12345678901234", "name": "X"}, place={"commune_code": "99999"},
                 rome_code="M9999", contract={"type": "STAGE"},
                 salary={"min": 3000, "max": 2000, "period": "month"}, starts_on="2024-13-01", positions=0)
    assert errors_of(raw) == {
        "title": "is required and must be a non-empty text",
        "employer.siret": "12345678901234 is not a valid SIRET (14 digits with a valid check digit)",
        "place.commune_code": "unknown INSEE commune code 99999",
        "rome_code": "unknown ROME code M9999",
        "contract.type": "must be one of CDI, CDD, MIS, SAI, ALT, LIB",
        "salary.min": "the minimum (3000) is above the maximum (2000)",
        "starts_on": "must be a date YYYY-MM-DD",
        "positions": "must be a whole number of positions between 1 and 10000",
    }


def test_not_an_object():
    assert errors_of(["title"]) == {"": "an offer must be a JSON object"}


def test_employer_name_is_required():
    assert "employer.name" in errors_of(native(employer={"siret": VALID_SIRET}))
    assert "employer" in errors_of(native(employer=None))


def test_siret_may_be_typed_in_groups_or_left_out():
    assert draft(employer={"siret": "628 194 821 00011", "name": "A"}).employer.siret == VALID_SIRET
    assert draft(employer={"name": "A"}).employer.siret is None


def test_la_poste_siret_is_accepted():
    assert draft(employer={"siret": "35600000049837", "name": "La Poste"}).employer.siret == "35600000049837"


def test_a_malformed_rome_code_is_explained():
    assert errors_of(native(rome_code="12345")) == {
        "rome_code": 'must be a ROME code: a letter A-N and four digits, e.g. "M1805"'}


def test_rome_is_inferred_when_not_given():
    offer = draft(rome_code=None, title="Cariste CACES 3 H/F")
    assert (offer.rome.code, offer.rome.method) == ("N1101", "inferred")
    assert 0.5 <= offer.rome.confidence < 1.0


def test_an_unclassifiable_title_asks_for_a_rome_code():
    assert errors_of(native(rome_code=None, title="Poste polyvalent H/F", description="Divers travaux.")) == {
        "rome_code": "no ROME code given and none could be inferred from the title: give rome_code"}


def test_missing_place_and_contract_type_are_left_to_the_legality_check():
    offer = draft(place=None, contract=None)
    assert offer.place is None and offer.contract_type is None
    assert draft(place={}, contract={}).place is None
    assert draft(contract={"duration_months": 6}).contract_type is None


@pytest.mark.parametrize("salary, expected", [
    ({"min": 11.88, "period": "hour"}, (21622, None)),  # 11.88 x 151.67 h x 12
    ({"min": 1800, "max": 2000, "period": "month"}, (21600, 24000)),
    ({"min": 2000, "period": "month", "months_per_year": 13}, (26000, None)),
    ({"max": 45000, "period": "year"}, (None, 45000)),
])
def test_salary_becomes_a_yearly_gross_range(salary, expected):
    offer = draft(salary=salary)
    assert (offer.salary.min_yearly_eur, offer.salary.max_yearly_eur) == expected


def test_yearly_eur():
    assert yearly_eur(10, "hour") == round(10 * 151.67 * 12)
    assert yearly_eur(1500, "month", 12.5) == 18750
    assert yearly_eur(30000.4, "year") == 30000


def test_salary_words_without_amounts_are_kept():
    offer = draft(salary={"label": "Selon profil"})
    assert (offer.salary.min_yearly_eur, offer.salary.label) == (None, "Selon profil")


@pytest.mark.parametrize("salary, field", [
    ({"min": 1800}, "salary.period"),
    ({"min": 1800, "period": "week"}, "salary.period"),
    ({"min": 1800, "period": "year"}, "salary.min"),  # 1,800 € a year: surely a monthly figure
    ({"min": -5, "period": "hour"}, "salary.min"),
    ({"min": 2000, "period": "month", "months_per_year": 20}, "salary.months_per_year"),
    ({"min": True, "period": "month"}, "salary.min"),
])
def test_salary_errors(salary, field):
    assert field in errors_of(native(salary=salary))


def test_working_time_defaults_to_full_time_35_hours():
    assert (draft().working_time, draft().weekly_hours) == ("full_time", 35.0)


def test_hours_below_35_mean_part_time():
    offer = draft(working_time={"weekly_hours": 24})
    assert (offer.working_time, offer.weekly_hours) == ("part_time", 24.0)


def test_part_time_without_hours():
    offer = draft(working_time={"type": "part_time"})
    assert (offer.working_time, offer.weekly_hours) == ("part_time", None)


def test_working_time_errors():
    assert "working_time.weekly_hours" in errors_of(native(working_time={"weekly_hours": 60}))
    assert "working_time.type" in errors_of(native(working_time={"type": "night"}))


def test_contract_duration():
    assert draft(contract={"type": "CDD", "duration_months": 6}).contract_duration_months == 6
    assert errors_of(native(contract={"type": "CDI", "duration_months": 6})) == {
        "contract.duration_months": "a CDI has no duration"}
    assert "contract.duration_months" in errors_of(native(contract={"type": "CDD", "duration_months": 0}))


def test_url_must_be_http():
    assert "url" in errors_of(native(url="javascript:alert(1)"))


def test_a_derived_id_is_stable_and_follows_the_content():
    first = draft(source_offer_id=None)
    again = normalise(native(source_offer_id=None, title="  SERVEUR / serveuse h/f "), source="test")
    edited = draft(source_offer_id=None, description=native()["description"] + " Prime de fin d'année.")
    assert first.source_offer_id.startswith("h-")
    assert again.source_offer_id == first.source_offer_id  # case and spaces do not matter
    assert edited.source_offer_id != first.source_offer_id


def test_to_dict_is_json_and_round_trips():
    offer = draft(starts_on="2024-09-02")
    data = json.loads(json.dumps(offer.to_dict()))
    assert data["starts_on"] == "2024-09-02" and data["place"]["commune_code"] == "44109"
    assert OfferDraft.from_dict(data) == offer


def test_invalid_offer_message_lists_fields():
    with pytest.raises(InvalidOffer, match="place.commune_code: unknown INSEE commune code 00000"):
        normalise(native(place={"commune_code": "00000"}), source="test")
