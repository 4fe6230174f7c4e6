from __future__ import annotations

import pytest

from services.offers.domain.text import fold, fold_accents, html_to_text, plural_to_singular, terms


@pytest.mark.parametrize("text, folded", [
    ("Aide-Soignant(e) H/F", "aide soignant e  h f"),
    ("ÉTÉ à Saint-Étienne", "ete a saint etienne"),
    ("Cœur de métier, Œuvre", "coeur de metier  oeuvre"),
    ("l’équipe « jeune »", "l equipe   jeune  "),
    ("Ça, c'est ﬁni…", "ca  c est fini "),
    ("35\u00a0h\u202fpar semaine", "35 h par semaine"),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_keeps_positions_when_there_is_no_ligature():
    text = "Période d'essai rémunérée, équipe à Nîmes."
    assert len(fold(text)) == len(text)
    assert fold(text)[text.index("essai"):].startswith("essai")


def test_fold_accents_keeps_punctuation():
    assert fold_accents("Vendeur·euse (H/F) É") == "vendeur·euse (h/f) e"


@pytest.mark.parametrize("word, singular", [
    ("offres", "offre"), ("locaux", "local"), ("animaux", "animal"), ("bureaux", "bureau"),
    ("tuyaux", "tuyau"), ("jeux", "jeu"), ("bus", "bus"), ("gaz", "gaz"), ("cariste", "cariste"),
])
def test_plural_to_singular(word, singular):
    assert plural_to_singular(word) == singular


def test_terms_fold_accents_plurals_and_drop_stop_words():
    assert terms("Les Aides-Soignantes de nuit et l'équipe des locaux") == [
        "aide", "soignante", "nuit", "equipe", "local"]


def test_terms_are_the_same_for_an_offer_and_a_query():
    offer = "Nettoyage de LOCAUX professionnels, agents d'entretien"
    query = "agent entretien local"
    assert set(terms(query)) <= set(terms(offer))


def test_terms_keep_english_technical_words():
    assert terms("Développeur Python, Docker et CI/CD") == ["developpeur", "python", "docker", "ci", "cd"]


def test_html_to_text():
    html = ("<p><strong>Logistique</strong>, prestataire à <a href='x'>Nantes</a>.</p>"
            "<ul><li>préparer</li><li>contrôler &amp; expédier</li></ul><script>alert(1)</script><p>Fin</p>")
    assert html_to_text(html) == "Logistique, prestataire à Nantes.\n\n- préparer\n- contrôler & expédier\nFin"


def test_html_to_text_leaves_plain_text_alone():
    assert html_to_text("Ligne 1\nLigne   2") == "Ligne 1\nLigne 2"
