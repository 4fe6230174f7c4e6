"""What-if counts by département; the directory picks the competent organisation."""
from __future__ import annotations

from services.orientation.adapters.files import load_directory
from services.orientation.domain.whatif import Placement, compare
from services.orientation.tests.builders import person


def test_what_if_counts_changes_by_departement():
    people = [person(departement="44"), person(departement="44"), person(departement="49")]
    moved = people[1].person_id
    totals, by_departement = compare(
        people, lambda p: Placement("professional", "ft"),
        lambda p: Placement("social" if p.person_id == moved else "professional",
                            "dep" if p.departement_code == "49" or p.person_id == moved else "ft"))
    assert (totals.population, totals.pathway_changed, totals.organisation_changed, totals.changed) == (3, 1, 2, 2)
    assert (by_departement["44"].changed, by_departement["49"].organisation_changed) == (1, 1)


def test_directory_competence(tmp_path):
    directory = load_directory()
    assert directory.competent("mission_locale", "44109", "44").org_id == "ml-nantes-metropole"
    assert directory.competent("apec", "49007", "49").org_id == "apec-pays-de-la-loire"
    assert directory.competent("cap_emploi", "75111", "75") is None
    csv_file = tmp_path / "directory.csv"
    csv_file.write_text("org_id,org_type,name,departements,communes\n"
                        "ft-44-all,france_travail,FT 44,44,\n"
                        "ft-44-reze,france_travail,FT Rezé,44,44143\n")
    imported = load_directory(csv_file)
    assert imported.competent("france_travail", "44143", "44").org_id == "ft-44-reze"
    assert imported.competent("france_travail", "44109", "44").org_id == "ft-44-all"
