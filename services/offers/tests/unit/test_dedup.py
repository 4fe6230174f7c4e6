from __future__ import annotations


import pytest

from services.offers.domain import dedup
from services.offers.domain.model import ANONYMOUS_EMPLOYER
from services.offers.tests.unit.builders import OTHER_SIRET, VALID_SIRET, draft
from tests.bench.offers_dataset import evaluate, labelled_duplicates

PARAGRAPHS = [
    "La Brasserie du Port, établissement de 60 couverts sur les quais de Nantes, renforce son équipe de salle "
    "pour la saison.",
    "Vos missions : accueillir les clients et les installer, prendre les commandes, conseiller sur les plats "
    "du jour et les vins, assurer le service en salle et en terrasse, encaisser les additions.",
    "Profil : une première expérience en brasserie est appréciée, le sens du service et une bonne tenue du "
    "rythme pendant le coup de feu sont indispensables.",
    "Poste en CDI à temps plein, 35 heures par semaine, deux jours de repos consécutifs, mutuelle et repas "
    "pris en charge.",
]
TEXT = "\n\n".join(PARAGRAPHS)


def offer(**overrides):
    return draft(**{"description": TEXT, **overrides})


def test_reordered_paragraphs_are_the_same_job():
    reordered = "\n\n".join([PARAGRAPHS[2], PARAGRAPHS[0], PARAGRAPHS[3], PARAGRAPHS[1]])
    assert dedup.same_job(offer(), offer(description=reordered, source_offer_id="other-board-1"))


def test_a_reworded_title_is_the_same_job():
    assert dedup.same_job(offer(), offer(title="URGENT - Chef de rang (F/H)"))


def test_a_board_without_siret_and_with_a_legal_form_is_the_same_job():
    other = offer(employer={"name": "SARL La Brasserie du Port"}, title="Serveur H/F")
    mine = offer(employer={"siret": VALID_SIRET, "name": "Brasserie du Port"})
    assert dedup.same_job(mine, other)


def test_small_edits_are_the_same_job():
    edited = TEXT.replace("renforce", "complète").replace("appréciée", "souhaitée") + "\n\nPostulez vite !"
    assert dedup.same_job(offer(), offer(description=edited))


def test_another_branch_is_another_job():
    branch = offer(employer={"siret": OTHER_SIRET, "name": "Le Bistrot du Port"},
                   place={"commune_code": "44184"}, description=TEXT.replace("Nantes", "Saint-Nazaire"))
    assert not dedup.same_job(offer(), branch)


def test_another_establishment_of_the_same_name_in_the_same_town_is_another_job():
    assert not dedup.same_job(offer(), offer(employer={"siret": OTHER_SIRET, "name": "Le Bistrot du Port"}))


def test_another_job_at_the_same_employer_is_another_job():
    cook = offer(title="Cuisinier H/F", rome_code="G1602",
                 description=TEXT.replace("de salle", "de cuisine").replace(PARAGRAPHS[1], "Vous préparerez les plats."))
    assert not dedup.same_job(offer(), cook)


def test_the_same_text_for_another_contract_is_another_job():
    assert not dedup.same_job(offer(), offer(contract={"type": "SAI", "duration_months": 3}))
    assert not dedup.same_job(offer(contract={"type": "CDD", "duration_months": 3}),
                              offer(contract={"type": "CDD", "duration_months": 9}))
    assert not dedup.same_job(offer(), offer(working_time={"type": "part_time", "weekly_hours": 24}))


def test_the_same_post_months_later_is_another_job():
    assert not dedup.same_job(offer(starts_on="2024-06-01"), offer(starts_on="2024-11-01"))
    assert dedup.same_job(offer(starts_on="2024-06-01"), offer(starts_on="2024-06-15"))
    assert dedup.same_job(offer(starts_on="2024-06-01"), offer())  # one board did not say: no objection


def test_a_different_text_of_the_same_employer_and_trade_is_another_job():
    other = offer(description="Brasserie du Port : nous cherchons un runner pour porter les plats de la cuisine "
                              "aux tables, débarrasser et dresser. Débutant accepté, formation sur place.")
    assert not dedup.same_job(offer(), other)


def test_two_anonymous_employers_are_never_merged_without_siret():
    anonymous = {"name": ANONYMOUS_EMPLOYER}
    assert not dedup.same_job(offer(employer=anonymous), offer(employer=anonymous))
    with_siret = {"name": ANONYMOUS_EMPLOYER, "siret": VALID_SIRET}
    assert dedup.same_job(offer(employer=with_siret), offer(employer=with_siret))


def test_similarity_bounds():
    fingerprint = dedup.fingerprint(offer())
    assert dedup.similarity(fingerprint, fingerprint) == 1.0
    unrelated = dedup.fingerprint(draft(title="Développeur Python H/F", rome_code="M1805",
                                        description="Vous développerez des API en Python et en Go."))
    assert dedup.similarity(fingerprint, unrelated) == 0.0


def test_blocking_keys_link_boards_with_and_without_siret():
    with_siret = dedup.fingerprint(offer())
    without = dedup.fingerprint(offer(employer={"name": "Le Bistrot du Port"}))
    assert with_siret.blocking_key == f"siret:{VALID_SIRET}|44109|G1803|CDI|full_time"
    assert without.blocking_keys == ("name:bistrot port|44109|G1803|CDI|full_time",)
    assert set(with_siret.blocking_keys) & set(without.blocking_keys)


def test_employer_key():
    assert dedup.employer_key("SARL Boulangerie MARTIN") == dedup.employer_key("Boulangerie Martin") == "boulangerie martin"
    assert dedup.employer_key("SAS") == "sas"  # nothing but a legal form: kept rather than emptied


def test_fingerprint_round_trips_through_storage():
    fingerprint = dedup.fingerprint(offer(starts_on="2024-06-01", contract={"type": "CDD", "duration_months": 6}))
    text = fingerprint.dumps()
    assert isinstance(text, str) and len(text) < 1200
    assert dedup.Fingerprint.loads(text) == fingerprint


def test_a_fingerprint_of_another_format_is_refused():
    text = dedup.fingerprint(offer()).dumps().replace('"v":1', '"v":99')
    with pytest.raises(ValueError, match="recompute"):
        dedup.Fingerprint.loads(text)


def test_the_signature_is_bounded_and_stable():
    long_text = " ".join(f"mot{i} suivant{i}" for i in range(2000))
    signature = dedup.signature("Titre", long_text)
    assert len(signature) == dedup.SKETCH_SIZE and list(signature) == sorted(signature)
    assert dedup.signature("Titre", long_text) == signature


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_precision_and_recall_on_the_labelled_set(seed):
    pairs = labelled_duplicates(seed)
    assert len(pairs) >= 300
    assert sum(label for *_, label in pairs) >= 120  # both classes well represented
    result = evaluate(pairs)
    assert result["precision"] >= 0.9, result
    assert result["recall"] >= 0.9, result


def test_the_labelled_set_is_not_trivial():
    """Without the text comparison (structured facts only) precision collapses: the set holds
    look-alikes that only the text tells apart, so the assertion above measures something."""
    result = evaluate(labelled_duplicates(0), same_job=lambda a, b: dedup.compatible(
        dedup.fingerprint(a), dedup.fingerprint(b)))
    assert result["precision"] < 0.85
