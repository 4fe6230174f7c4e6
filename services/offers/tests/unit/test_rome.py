from __future__ import annotations

import json

import pytest

from services.offers.domain.rome import RomeEntry, RomeReference, main

ROME = RomeReference.default()


def test_the_shipped_reference():
    assert len(ROME) >= 100
    assert ROME.get("m1805").label == "Études et développement informatique"
    assert ROME.get("K2204").label == "Nettoyage de locaux"
    assert ROME.get("N4101").label == "Conduite de transport de marchandises sur longue distance"
    assert "chauffeur poids lourd" in ROME.get("N4101").appellations
    assert ROME.get("Z9999") is None


def test_a_given_code_has_full_confidence():
    assignment = ROME.given("M1805")
    assert (assignment.code, assignment.confidence, assignment.method) == ("M1805", 1.0, "given")
    assert ROME.given("M9999") is None


@pytest.mark.parametrize("title, code", [
    ("Développeur Python / Django (H/F)", "M1805"),
    ("Agent d'entretien H/F", "K2204"),
    ("Chauffeur poids lourd SPL", "N4101"),
    ("Chauffeur livreur VL (H/F)", "N4105"),
    ("Serveuse en brasserie", "G1803"),
    ("Aides-soignantes de nuit", "J1501"),
    ("Cariste CACES 3", "N1101"),
    ("Infirmier(e) DE", "J1506"),
    ("Conducteur de travaux TCE", "F1201"),
    ("Conducteur de bus", "N4103"),
    ("Commis de cuisine", "G1602"),
    ("Préparatrice de commandes", "N1103"),
])
def test_assign_from_the_title(title, code):
    assignment = ROME.assign(title)
    assert assignment is not None and assignment.code == code and assignment.method == "inferred"


@pytest.mark.parametrize("title", ["Agent", "Technicien H/F", "Responsable", "Poste polyvalent", ""])
def test_vague_titles_get_no_code(title):
    assert ROME.assign(title, "Rejoignez notre équipe.") is None


def test_the_description_confirms_but_never_decides():
    vague = "Employé polyvalent H/F"
    assert ROME.assign(vague) is None
    confirmed = ROME.assign(vague, "Vous assurerez la mise en rayon des produits et le facing en magasin.")
    assert confirmed is not None and confirmed.code == "D1507"
    assert ROME.assign("Poste H/F", "Préparation de commandes en entrepôt, cariste, magasinier") is None


def test_a_description_of_the_same_trade_raises_the_confidence():
    alone = ROME.assign("Développeur web")
    supported = ROME.assign("Développeur web", "Développeur web confirmé pour notre équipe, études et développement informatique.")
    assert alone.confidence < supported.confidence <= 1.0


def test_title_words_weigh_by_rarity():
    # "agent" is in many fiches, "propreté" in one: the specific word decides.
    assert ROME.assign("Agent de propreté H/F").code == "K2204"


def write_official_files(directory):
    (directory / "unix_referentiel_code_rome_v460_utf8.csv").write_text(
        "code_rome;code_fiche_em;code_ogr;libelle_rome\n"
        "M1805;1234;11111;Études et développement informatique\n"
        "K2204;2345;22222;Nettoyage de locaux\n", encoding="utf-8")
    (directory / "unix_referentiel_appellation_v460_utf8.csv").write_text(
        "code_ogr,libelle_appellation_long,libelle_appellation_court,code_rome\n"
        '10868,"Développeur / Développeuse informatique","Développeur informatique",M1805\n'
        '12345,"Agent / Agente de propreté","Agent de propreté",K2204\n', encoding="utf-8")


def test_from_official_csv_files(tmp_path):
    write_official_files(tmp_path)
    reference = RomeReference.from_official_files(tmp_path)
    assert len(reference) == 2
    assert reference.get("M1805").appellations == ("Développeur informatique",)
    assert reference.assign("Développeur informatique H/F").code == "M1805"


def test_from_official_json_files(tmp_path):
    (tmp_path / "unix_referentiel_code_rome_v461.json").write_text(json.dumps(
        [{"code_rome": "K2204", "libelle_rome": "Nettoyage de locaux"}]), encoding="utf-8")
    (tmp_path / "unix_referentiel_appellation_v461.json").write_text(json.dumps(
        [{"code_rome_parent": "K2204", "libelle": "Agent / Agente d'entretien", "code": "1"}]), encoding="utf-8")
    reference = RomeReference.from_official_files(tmp_path)
    assert reference.get("K2204").appellations == ("Agent / Agente d'entretien",)


def test_missing_official_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="referentiel_code_rome"):
        RomeReference.from_official_files(tmp_path)


def test_import_command_writes_a_reference_the_service_can_load(tmp_path, capsys):
    write_official_files(tmp_path)
    out = tmp_path / "rome.csv"
    assert main(["import", str(tmp_path), str(out)]) == 0
    assert "2 ROME fiches" in capsys.readouterr().out
    assert RomeReference.from_csv(out).get("K2204") == RomeEntry("K2204", "Nettoyage de locaux", ("Agent de propreté",))
    assert main(["nonsense"]) == 2
