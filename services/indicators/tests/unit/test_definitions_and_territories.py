from pathlib import Path

import pytest

from services.core.referentials.geo import default_geo
from services.indicators.domain.definitions import Family, Status, Unit, parse_catalogue, shipped_catalogue
from services.indicators.domain.territories import NATIONAL, Bassin, Level, Territories, Territory, \
    read_communes, read_zoning, shipped_territories

SCHEMAS = Path(__file__).parents[4] / "schemas"


def test_every_family_of_the_short_list_is_defined_with_french_labels():
    catalogue = shipped_catalogue()
    assert {item.family for item in catalogue.indicators} == set(Family)
    assert {"offer_fill_rate", "first_appointment_within_target", "awaiting_orientation", "registrations",
            "sanctions_decided", "return_to_employment", "corde_de_rappel", "exits"} <= \
        {item.code for item in catalogue.indicators}
    assert catalogue.get("offer_fill_rate").unit is Unit.SHARE
    assert catalogue.get("nothing") is None


def test_an_available_indicator_reads_only_facts_the_platform_emits():
    for item in shipped_catalogue().indicators:
        emitted = all((SCHEMAS / f"{source}.json").exists() for source in item.sources)
        assert emitted == (item.status is Status.AVAILABLE), item.code
        assert (item.awaiting is not None) == (item.status is Status.AWAITING_FACT)


def test_a_catalogue_refuses_duplicate_codes_and_an_unnamed_awaited_fact():
    entry = {"code": "x", "family": "impact", "label": "X", "description": "X", "formula": "count(x)",
             "unit": "people", "sources": ["a.b.c.v1"]}
    with pytest.raises(ValueError):
        parse_catalogue({"version": 1, "indicators": [entry, entry]})
    with pytest.raises(ValueError):
        parse_catalogue({"version": 1, "indicators": [{**entry, "status": "awaiting_fact"}]})


def test_a_commune_counts_in_its_bassin_departement_region_and_the_nation():
    territories = shipped_territories()
    assert territories.of_commune("44184") == {
        Level.COMMUNE: "44184", Level.BASSIN: "52-SAINT-NAZAIRE", Level.DEPARTEMENT: "44", Level.REGION: "52",
        Level.NATIONAL: NATIONAL}
    assert Level.BASSIN not in territories.of_commune("44109")  # Nantes: in no shipped bassin
    assert territories.of_commune("2a004")[Level.DEPARTEMENT] == "2A"
    assert territories.of_commune("00000") == {}
    assert territories.of_departement("975") == {}


def test_the_levels_nest_from_the_nation_to_the_bassins():
    territories = shipped_territories()
    assert len(territories.children(Level.NATIONAL, NATIONAL)) == 18
    assert [item.code for item in territories.children(Level.REGION, "52")] == ["44", "49", "53", "72", "85"]
    assert [item.name for item in territories.children(Level.DEPARTEMENT, "53")] == ["Laval Ouest"]
    assert territories.find(Level.BASSIN, "52-LAVAL-OUEST").parent == (Level.DEPARTEMENT, "53")
    assert territories.find(Level.DEPARTEMENT, "44").parent == (Level.REGION, "52")
    assert territories.find(Level.REGION, "99") is None


def test_the_territories_hold_every_current_commune_of_the_departements():
    territories = shipped_territories()
    # Etalab's 6.0.0 lists 34,969 current communes, 94 of them in overseas collectivities (no département),
    # and the 45 municipal arrondissements of Paris, Lyon and Marseille.
    assert len(territories.commune_codes()) == 34_875 + 45
    for code, name, departement in [("44109", "Nantes", "44"), ("53130", "Laval", "53"), ("97611", "Mamoudzou", "976"),
                                    ("2A004", "Ajaccio", "2A"), ("75056", "Paris", "75"),
                                    ("75112", "Paris 12e Arrondissement", "75"), ("49007", "Angers", "49")]:
        assert territories.find(Level.COMMUNE, code) == Territory(Level.COMMUNE, code, name, (Level.DEPARTEMENT, departement))
    assert territories.find(Level.COMMUNE, "2a004").name == "Ajaccio"
    assert territories.find(Level.COMMUNE, "97501") is None  # Saint-Pierre-et-Miquelon: a collectivity
    assert territories.of_commune("75112")[Level.DEPARTEMENT] == territories.of_commune("75056")[Level.DEPARTEMENT] == "75"
    # core's demo subset is a part of the full list, under the same names
    assert {(c.insee_code, c.name) for c in default_geo().communes()} <= \
        {(code, territories.find(Level.COMMUNE, code).name) for code in territories.commune_codes()}


def test_every_departement_of_the_full_list_is_one_of_cores():
    departements = {item.code for item in default_geo().departements()}
    assert {departement for departement, _ in read_communes().values()} == departements


def test_a_commune_no_longer_current_still_counts_in_its_departement():
    # 49001 Les Alleuds merged into Brissac Loire Aubance in 2016: a fact recorded under it is not lost
    assert shipped_territories().find(Level.COMMUNE, "49001") is None
    assert shipped_territories().of_commune("49001")[Level.REGION] == "52"


def test_a_zoning_puts_a_current_commune_in_its_own_departement_only(tmp_path):
    with pytest.raises(ValueError, match="département"):
        Territories(default_geo(), [(Bassin("X", "X", "53"), "44109")], read_communes())
    with pytest.raises(ValueError, match="not a current commune"):
        Territories(default_geo(), [(Bassin("X", "X", "49"), "49001")], read_communes())
    assert Territories(default_geo(), [(Bassin("X", "X", "53"), "53001")], read_communes()).bassins() == \
        [Bassin("X", "X", "53")]  # Ahuillé: not in core's subset, in the full list
    zoning = tmp_path / "bassins_99.csv"
    zoning.write_text("# comment\nbassin_code,bassin_name,departement_code,commune_code\nB,Angers,49,49007\n")
    assert read_zoning(zoning) == [(Bassin("B", "Angers", "49"), "49007")]
