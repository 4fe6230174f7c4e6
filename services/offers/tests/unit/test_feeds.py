from __future__ import annotations

from datetime import date

import pytest

from services.offers.domain.feeds import from_ft_offre_v2, from_job_posting
from services.offers.domain.legality import check
from services.offers.domain.model import ANONYMOUS_EMPLOYER, InvalidOffer
from services.offers.domain.normalise import normalise
from services.offers.tests.unit.builders import example


# --- schema.org JobPosting ---

def test_job_posting_example():
    raw = from_job_posting(example("job_posting.json"))
    assert raw["source_offer_id"] == "LE-2024-0457"
    assert raw["title"] == "Préparateur / Préparatrice de commandes (H/F)"
    assert raw["description"].startswith("Logistique de l'Erdre, prestataire logistique")
    assert "\n- préparer les commandes des magasins" in raw["description"]
    assert "<" not in raw["description"]
    assert raw["employer"] == {"name": "Logistique de l'Erdre", "siret": "62819482100011"}
    assert raw["place"] == {"commune_code": "44109"}  # 44300 Nantes
    assert raw["contract"] == {"type": "CDD", "duration_months": 6}
    assert raw["working_time"] == {"type": "full_time", "weekly_hours": 35.0}
    assert raw["salary"] == {"min": 12.1, "max": 12.8, "period": "hour"}
    assert raw["rome_code"] == "N1103"
    assert (raw["posted_on"], raw["ends_on"]) == ("2024-05-13", "2024-06-30")
    assert raw["positions"] == 3 and raw["url"].startswith("https://emploi.logistique-erdre")


def test_job_posting_example_normalises_and_passes_the_legality_check():
    offer = normalise(from_job_posting(example("job_posting.json")), source="jobboard-ouest")
    assert (offer.rome.code, offer.place.commune_name, offer.contract_type) == ("N1103", "Nantes", "CDD")
    assert offer.salary.min_yearly_eur == round(12.1 * 151.67 * 12)
    assert offer.ends_on == date(2024, 6, 30)
    assert check(offer) == []


def job_posting(**fields):
    doc = {"@context": "https://schema.org/", "@type": "JobPosting", "title": "Cariste H/F",
           "description": "<p>Entrepôt recherche un cariste en CDI.</p>",
           "hiringOrganization": {"@type": "Organization", "name": "Entrepôts Durand"},
           "jobLocation": {"@type": "Place", "address": {"postalCode": "69003", "addressLocality": "Lyon"}}}
    doc.update(fields)
    return doc


def test_job_posting_contract_from_the_text_and_arrondissement_from_the_postal_code():
    raw = from_job_posting(job_posting(employmentType="FULL_TIME"))
    assert raw["contract"] == {"type": "CDI"}
    assert raw["place"] == {"commune_code": "69383"}
    assert "source_offer_id" not in raw  # normalise derives one from the content


@pytest.mark.parametrize("employment, words, contract", [
    (["CONTRACTOR"], "Mission freelance", "LIB"),
    (["TEMPORARY"], "Renfort", "CDD"),
    (["FULL_TIME"], "Mission d'intérim de 3 mois", "MIS"),
    (["PART_TIME"], "Contrat en alternance, apprentissage", "ALT"),
])
def test_job_posting_contract_types(employment, words, contract):
    raw = from_job_posting(job_posting(employmentType=employment, description=words))
    assert raw["contract"]["type"] == contract


def test_job_posting_without_any_contract_word_leaves_it_to_the_legality_check():
    raw = from_job_posting(job_posting(employmentType="FULL_TIME", description="Entrepôt recherche un cariste."))
    assert "contract" not in raw
    offer = normalise(raw, source="x")
    assert "missing_contract_type" in {f.rule_id for f in check(offer)}


def test_job_posting_in_a_graph_with_a_list_of_places_and_yearly_salary():
    doc = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "X"},
        job_posting(jobLocation=[{"@type": "Place", "address": {"postalCode": "13001", "addressLocality": "Marseille"}}],
                    baseSalary={"@type": "MonetaryAmount", "currency": "EUR",
                                "value": {"@type": "QuantitativeValue", "value": 32000, "unitText": "YEAR"}},
                    occupationalCategory=["43-5071.00", "N1101"], identifier="CAR-1", validThrough="2024-08-31")]}
    raw = from_job_posting(doc)
    assert raw["place"] == {"commune_code": "13201"}  # Marseille 1er, not Aix-en-Provence (INSEE 13001)
    assert raw["salary"] == {"min": 32000.0, "period": "year"}
    assert raw["rome_code"] == "N1101" and raw["source_offer_id"] == "CAR-1" and raw["ends_on"] == "2024-08-31"


def test_job_posting_salary_in_another_currency_is_left_out():
    raw = from_job_posting(job_posting(baseSalary={"currency": "CHF", "value": {"minValue": 5000, "unitText": "MONTH"}}))
    assert "salary" not in raw


def test_job_posting_weekly_hours_are_not_read_from_a_time_of_day():
    assert "working_time" not in from_job_posting(job_posting(workHours="9h-17h du lundi au vendredi"))
    assert from_job_posting(job_posting(workHours="24 heures par semaine"))["working_time"] == {"weekly_hours": 24.0}


@pytest.mark.parametrize("doc, field", [
    ({"@type": "Organization", "name": "X"}, "@type"),
    (job_posting(employmentType="INTERN"), "employmentType"),
    (job_posting(employmentType=["VOLUNTEER"]), "employmentType"),
    (job_posting(jobLocation={"address": {"postalCode": "99999", "addressLocality": "Nulle-Part"}}), "jobLocation.address"),
])
def test_unusable_job_postings(doc, field):
    with pytest.raises(InvalidOffer) as caught:
        from_job_posting(doc)
    assert caught.value.errors[0]["field"] == field


def test_job_posting_siret_given_as_a_bare_identifier():
    raw = from_job_posting(job_posting(hiringOrganization={"name": "Durand", "identifier": "628 194 821 00011"}))
    assert raw["employer"]["siret"] == "62819482100011"


# --- France Travail Offres d'emploi v2 ---

def test_ft_offre_v2_example():
    raw = from_ft_offre_v2(example("ft_offre_v2.json"))
    assert raw["source_offer_id"] == "175XKQD"
    assert raw["title"] == "Aide-soignant / Aide-soignante de nuit (H/F)"
    assert raw["employer"] == {"name": "EHPAD LES TILLEULS"}
    assert raw["place"] == {"commune_code": "35238"}
    assert raw["rome_code"] == "J1501"
    assert raw["contract"] == {"type": "CDI"}
    assert raw["working_time"] == {"type": "full_time", "weekly_hours": 35.0}
    assert raw["salary"] == {"label": "Mensuel de 2050.00 Euros à 2250.00 Euros sur 12 mois", "period": "month",
                             "min": 2050.0, "max": 2250.0, "months_per_year": 12.0}
    assert raw["accessible_to_disabled"] is True and raw["positions"] == 1 and raw["posted_on"] == "2024-05-02"


def test_ft_offre_v2_example_normalises_and_passes_the_legality_check():
    offer = normalise(from_ft_offre_v2(example("ft_offre_v2.json")), source="francetravail")
    assert (offer.salary.min_yearly_eur, offer.salary.max_yearly_eur) == (24600, 27000)
    assert offer.place.commune_name == "Rennes" and offer.accessible_to_disabled
    assert check(offer) == []


def ft(**fields):
    doc = {"id": "1", "intitule": "Cariste (H/F)", "description": "Cariste en entrepôt.", "romeCode": "N1101",
           "typeContrat": "MIS", "typeContratLibelle": "Mission intérimaire - 3 Mois",
           "lieuTravail": {"libelle": "44 - NANTES", "codePostal": "44000", "commune": "44109"},
           "entreprise": {"nom": "INTERIM PLUS"}}
    doc.update(fields)
    return doc


@pytest.mark.parametrize("label, expected", [
    ("Horaire de 11.88 Euros sur 151.67 heures", {"period": "hour", "min": 11.88}),
    ("Mensuel de 1800.0 Euros sur 13.0 mois", {"period": "month", "min": 1800.0, "months_per_year": 13.0}),
    ("Annuel de 35000,00 Euros à 40000,00 Euros sur 12 mois", {"period": "year", "min": 35000.0, "max": 40000.0}),
    ("Selon profil", {}),
])
def test_ft_salary_labels(label, expected):
    raw = from_ft_offre_v2(ft(salaire={"libelle": label}))
    assert raw["salary"] == {"label": label, **expected}


@pytest.mark.parametrize("label, months", [
    ("Mission intérimaire - 3 Mois", 3), ("Contrat à durée déterminée - 15 Jour(s)", 1),
    ("Contrat à durée déterminée - 45 Jour(s)", 2), ("Contrat à durée déterminée - 1 An(s)", 12),
])
def test_ft_contract_duration(label, months):
    assert from_ft_offre_v2(ft(typeContrat="CDD", typeContratLibelle=label))["contract"]["duration_months"] == months


def test_ft_contract_codes():
    assert from_ft_offre_v2(ft(typeContrat="CDD", alternance=True))["contract"]["type"] == "ALT"
    assert from_ft_offre_v2(ft(typeContrat="FRA"))["contract"]["type"] == "LIB"
    assert from_ft_offre_v2(ft(typeContrat="DIN"))["contract"]["type"] == "MIS"
    assert "contract" not in from_ft_offre_v2(ft(typeContrat="XYZ"))


def test_ft_part_time_hours():
    raw = from_ft_offre_v2(ft(dureeTravailLibelle="24H30 Horaires normaux", dureeTravailLibelleConverti="Temps partiel"))
    assert raw["working_time"] == {"type": "part_time", "weekly_hours": 24.5}


def test_ft_anonymous_employer_and_place_by_postal_code():
    raw = from_ft_offre_v2(ft(entreprise={"description": "PME du BTP"},
                              lieuTravail={"libelle": "33 - Bordeaux", "codePostal": "33000"}))
    assert raw["employer"] == {"name": ANONYMOUS_EMPLOYER}
    assert raw["place"] == {"commune_code": "33063"}


def test_ft_unknown_place_and_not_an_offer():
    with pytest.raises(InvalidOffer, match="lieuTravail"):
        from_ft_offre_v2(ft(lieuTravail={"libelle": "99 - ETRANGER", "codePostal": "99999"}))
    with pytest.raises(InvalidOffer, match="intitule"):
        from_ft_offre_v2({"id": "1"})


def test_ft_offer_without_place_reaches_the_legality_check():
    offer = normalise(from_ft_offre_v2(ft(lieuTravail={})), source="francetravail")
    assert "missing_place" in {f.rule_id for f in check(offer)}


def test_job_posting_contract_is_the_first_mentioned():
    raw = from_job_posting(job_posting(description="CDD de 6 mois pouvant déboucher sur un CDI. Restaurant franchisé."))
    assert raw["contract"] == {"type": "CDD", "duration_months": 6}
