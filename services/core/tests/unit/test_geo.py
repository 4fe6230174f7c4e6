import pytest

from services.core.referentials.geo import Commune, default_geo, load_communes_csv


@pytest.fixture(scope="module")
def geo():
    return default_geo()


def test_default_geo_is_loaded_once(geo):
    assert default_geo() is geo


def test_shipped_counts(geo):
    assert len(geo.regions()) == 18
    assert len(geo.departements()) == 101
    arrondissements = [c for c in geo.communes() if c.insee_code[:3] in ("751", "693", "132")]
    assert len(arrondissements) == 20 + 9 + 16


def test_every_departement_has_a_shipped_commune(geo):
    shipped_departements = {commune.departement_code for commune in geo.communes()}
    assert shipped_departements == {departement.code for departement in geo.departements()}


@pytest.mark.parametrize(
    ("code", "name", "departement", "region"),
    [
        ("44109", "Nantes", "44", "52"),
        ("44184", "Saint-Nazaire", "44", "52"),
        ("49007", "Angers", "49", "52"),
        ("53130", "Laval", "53", "52"),
        ("72181", "Le Mans", "72", "52"),
        ("85191", "La Roche-sur-Yon", "85", "52"),
        ("75056", "Paris", "75", "11"),
        ("75101", "Paris 1er Arrondissement", "75", "11"),
        ("75120", "Paris 20e Arrondissement", "75", "11"),
        ("69123", "Lyon", "69", "84"),
        ("69389", "Lyon 9e Arrondissement", "69", "84"),
        ("13055", "Marseille", "13", "93"),
        ("13216", "Marseille 16e Arrondissement", "13", "93"),
        ("31555", "Toulouse", "31", "76"),
        ("33063", "Bordeaux", "33", "75"),
        ("2A004", "Ajaccio", "2A", "94"),
        ("2B033", "Bastia", "2B", "94"),
        ("97105", "Basse-Terre", "971", "01"),
        ("97411", "Saint-Denis", "974", "04"),
        ("97611", "Mamoudzou", "976", "06"),
        ("93066", "Saint-Denis", "93", "11"),
    ],
)
def test_commune_lookup(geo, code, name, departement, region):
    commune = geo.commune(code)
    assert commune is not None
    assert commune.name == name
    assert (commune.departement_code, commune.region_code) == (departement, region)


def test_coordinates_are_plausible(geo):
    nantes = geo.commune("44109")
    assert nantes.latitude == pytest.approx(47.22, abs=0.05)
    assert nantes.longitude == pytest.approx(-1.55, abs=0.05)
    for commune in geo.communes():
        if commune.departement_code.startswith("97"):
            continue
        # Mainland France and Corsica lie within this box.
        assert 41.3 < commune.latitude < 51.1, commune.name
        assert -5.2 < commune.longitude < 9.6, commune.name


def test_corsica_codes_are_case_insensitive(geo):
    assert geo.commune("2a004") == geo.commune("2A004")
    assert geo.departement("2b").name == "Haute-Corse"


def test_departement_and_region_lookups(geo):
    assert geo.departement("44").name == "Loire-Atlantique"
    assert geo.departement("44").region_code == "52"
    assert geo.departement("976").name == "Mayotte"
    assert geo.region("52").name == "Pays de la Loire"
    assert geo.region("11").name == "Île-de-France"
    assert geo.region("84").name == "Auvergne-Rhône-Alpes"
    assert geo.region("94").name == "Corse"
    assert {region.code for region in geo.regions() if region.code < "10"} == {
        "01", "02", "03", "04", "06",
    }


@pytest.mark.parametrize("code", ["20", "96", "975", "99", "00", "2C"])
def test_unknown_departements(geo, code):
    assert geo.departement(code) is None


def test_unknown_lookups_return_none(geo):
    assert geo.commune("44999") is None
    assert geo.region("05") is None


def test_every_departement_region_exists(geo):
    for departement in geo.departements():
        assert geo.region(departement.region_code) is not None, departement.code


def test_every_shipped_commune_departement_exists_and_matches_its_code(geo):
    for commune in geo.communes():
        departement = geo.departement(commune.departement_code)
        assert departement is not None, commune.insee_code
        assert commune.region_code == departement.region_code
        assert geo.departement_of_commune_code(commune.insee_code) == commune.departement_code


@pytest.mark.parametrize(
    ("code", "departement"),
    [
        ("44143", "44"),  # Rezé: not shipped
        ("01001", "01"),
        ("95680", "95"),
        ("2A041", "2A"),
        ("2b096", "2B"),
        ("97101", "971"),
        ("97302", "973"),
        ("97617", "976"),
    ],
)
def test_departement_derived_for_communes_not_shipped(geo, code, departement):
    assert geo.departement_of_commune_code(code) == departement
    assert geo.is_valid_commune_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "4410",
        "441090",
        "00123",  # no département 00
        "20004",  # Corsica has been 2A/2B since 1976
        "96001",
        "97501",  # Saint-Pierre-et-Miquelon: a collectivity, not a département
        "97701",
        "98735",  # Polynésie française
        "99352",  # a country code
        "97012",
        "2C004",
        "44000",
        "97100",
        "4410A",
        "44 109",
        "४४१०९",  # non-ASCII digits
    ],
)
def test_invalid_commune_codes(geo, code):
    assert not geo.is_valid_commune_code(code)
    assert geo.departement_of_commune_code(code) is None


COG_EXTRACT = """\ufeffTYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT
COM,01001,84,01,01D,012,5,ABERGEMENT CLEMENCIAT,Abergement-Clémenciat,L'Abergement-Clémenciat,0108,
COM,2B096,94,2B,20R,2B2,0,CORTE,Corte,Corte,2B04,
COM,44143,52,44,44D,443,0,REZE,Rezé,Rezé,4415,
COMD,49001,,,,,4,ALLEUDS,Alleuds,Les Alleuds,,49050
COM,97302,03,973,973D,9732,0,CAYENNE,Cayenne,Cayenne,97399,
ARM,75101,,,,,0,PARIS 1ER ARRONDISSEMENT,Paris 1er Arrondissement,Paris 1er Arrondissement,,75056
"""


@pytest.fixture
def cog_file(tmp_path):
    path = tmp_path / "v_commune.csv"
    path.write_text(COG_EXTRACT, encoding="utf-8")
    return path


def test_cog_import_reads_the_official_columns(cog_file):
    geo = load_communes_csv(cog_file)
    assert geo.commune("44143") == Commune("44143", "Rezé", "44", "52", None, None)
    assert geo.commune("01001").name == "L'Abergement-Clémenciat"
    assert geo.commune("2B096").region_code == "94"
    assert geo.commune("97302").departement_code == "973"


def test_cog_import_reads_arrondissements_from_their_code(cog_file):
    paris_first = load_communes_csv(cog_file).commune("75101")
    assert (paris_first.departement_code, paris_first.region_code) == ("75", "11")


def test_cog_import_skips_delegated_communes(cog_file):
    geo = load_communes_csv(cog_file)
    assert geo.commune("49001") is None
    assert len(geo.communes()) == 5


def test_cog_import_keeps_every_region_and_departement(cog_file):
    geo = load_communes_csv(cog_file)
    assert len(geo.regions()) == 18
    assert len(geo.departements()) == 101


def test_cog_import_accepts_a_file_with_only_the_four_columns(tmp_path):
    path = tmp_path / "minimal.csv"
    path.write_text("COM,DEP,REG,LIBELLE\n44109,44,52,Nantes\n", encoding="utf-8")
    assert load_communes_csv(path).commune("44109").region_code == "52"


def test_cog_import_refuses_a_commune_outside_any_departement(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("COM,DEP,REG,LIBELLE\n98735,,,Papeete\n", encoding="utf-8")
    with pytest.raises(ValueError, match="98735"):
        load_communes_csv(path)
