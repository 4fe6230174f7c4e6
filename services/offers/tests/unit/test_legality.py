"""The legality rules on French wording: what must be flagged, and what must not."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from services.offers.domain.legality import InvalidRulebook, Rulebook, check, excerpt, is_blocking, triggers_of
from services.offers.domain.model import Finding
from services.offers.domain.text import fold
from services.offers.tests.unit.builders import draft

TITLE = "Serveur / Serveuse H/F"


def findings(description: str, title: str = TITLE, **overrides) -> list[Finding]:
    return check(draft(title=title, description=description, **overrides))


def rules(description: str, title: str = TITLE, **overrides) -> dict[str, str]:
    return {f.rule_id: f.severity for f in findings(description, title, **overrides)}


CLEAN = "Restaurant traditionnel à Nantes, nous recherchons un serveur pour la salle et la terrasse. "


@pytest.mark.parametrize("sentence, rule, severity", [
    # age
    ("Candidat de moins de 30 ans de préférence.", "age_limit", "blocking"),
    ("Âge maximum : 45 ans.", "age_limit", "blocking"),
    ("Profil recherché : 25-35 ans.", "age_limit", "blocking"),
    ("Vous avez entre 20 et 30 ans.", "age_limit", "blocking"),
    ("Vous êtes âgé de 25 ans au plus.", "age_limit", "blocking"),
    ("Né après 1995.", "age_limit", "blocking"),
    ("Vous êtes jeune et motivé.", "age_limit", "blocking"),
    ("Retraités s'abstenir.", "age_limit", "blocking"),
    ("Idéal pour jeune diplômé.", "age_suggestion", "warning"),
    ("Rejoignez une équipe jeune et dynamique !", "age_suggestion", "warning"),
    # sex
    ("Poste réservé aux femmes.", "sex_requirement", "blocking"),
    ("Hommes uniquement, travail physique.", "sex_requirement", "blocking"),
    ("Nous recherchons une femme pour l'accueil.", "sex_requirement", "blocking"),
    ("Profil féminin souhaité.", "sex_requirement", "blocking"),
    ("Vous êtes un homme de terrain.", "gendered_wording", "warning"),
    # origin, language of origin, nationality
    ("Type européen exigé.", "origin", "blocking"),
    ("Candidats d'origine française.", "origin", "blocking"),
    ("Profil BBR.", "origin", "blocking"),
    ("Français sans accent.", "origin", "blocking"),
    ("Français langue maternelle.", "native_language", "warning"),
    ("Nationalité française exigée.", "nationality", "blocking"),
    ("Vous êtes ressortissant de l'Union européenne.", "nationality", "blocking"),
    ("Pas de candidats étrangers.", "nationality", "blocking"),
    # family, pregnancy
    ("Célibataire de préférence, déplacements fréquents.", "family_situation", "blocking"),
    ("Idéal pour mère de famille.", "family_situation", "blocking"),
    ("Vous êtes sans enfants.", "family_situation", "blocking"),
    ("Ne pas être enceinte.", "pregnancy", "blocking"),
    ("Pas de projet de grossesse dans l'année.", "pregnancy", "blocking"),
    # appearance
    ("Physique agréable exigé.", "physical_appearance", "blocking"),
    ("Taille minimum 1m70, silhouette mince.", "physical_appearance", "blocking"),
    ("Jolie femme pour l'accueil.", "physical_appearance", "blocking"),
    ("Pas de tatouages visibles.", "appearance_rules", "warning"),
    # residence
    ("Vous devez habiter à Nantes.", "residence", "blocking"),
    ("Candidats du secteur uniquement.", "residence", "blocking"),
    ("Pas de candidats des quartiers.", "residence", "blocking"),
    ("Vous devez habiter à moins de 15 km du site (astreintes).", "residence_proximity", "warning"),
    # health, disability
    ("Bonne santé exigée.", "health_disability", "blocking"),
    ("Sans problème de dos.", "health_disability", "blocking"),
    ("Personnes handicapées s'abstenir.", "health_disability", "blocking"),
    ("Poste non accessible aux personnes en situation de handicap.", "health_disability", "blocking"),
    ("Certificat médical exigé à l'embauche.", "health_disability", "blocking"),
    ("Bonne condition physique.", "physical_condition", "warning"),
    # religion, union, politics
    ("Port du voile interdit.", "religion", "blocking"),
    ("Catholique pratiquant de préférence.", "religion", "blocking"),
    ("Pas de signes religieux au travail.", "religious_neutrality", "warning"),
    ("Non syndiqué.", "union_activity", "blocking"),
    ("Syndicalistes s'abstenir.", "union_activity", "blocking"),
    ("Aucun engagement politique.", "political_opinion", "blocking"),
    # unpaid trial
    ("Période d'essai non rémunérée.", "unpaid_trial", "blocking"),
    ("Journée d'essai gratuite avant embauche.", "unpaid_trial", "blocking"),
    ("La première semaine n'est pas payée : première semaine non payée.", "unpaid_trial", "blocking"),
    ("Vous travaillerez à l'essai gratuitement.", "unpaid_trial", "blocking"),
])
def test_flagged(sentence, rule, severity):
    assert rules(CLEAN + sentence).get(rule) == severity


@pytest.mark.parametrize("sentence", [
    "Jeune entreprise en pleine croissance.",
    "Travail en équipe de nuit, du lundi au vendredi.",
    "Permis B exigé, véhicule de service fourni.",
    "Poste accessible aux personnes en situation de handicap.",
    "Nous accueillons les candidatures des travailleurs handicapés et non handicapés.",
    "Éducateur auprès d'enfants avec ou sans handicap.",
    "Plus de 10 ans d'expérience en restauration.",
    "Une expérience de plus de 10 ans est demandée.",
    "Entreprise familiale depuis plus de 30 ans.",
    "Vous avez au moins 18 ans (service d'alcool).",
    "Accompagnement des jeunes de 16 à 25 ans.",
    "Garde d'enfants de moins de 12 ans.",
    "Remplacement d'un congé maternité.",
    "Viande d'origine française, produits frais.",
    "Vins en appellation d'origine contrôlée.",
    "Quelle que soit votre origine, rejoignez-nous.",
    "Titre de séjour valide autorisant à travailler en France.",
    "Maîtrise du français courant exigée.",
    "Présentation soignée, tenue fournie.",
    "Port de charges de plus de 25 kg.",
    "Période d'essai de deux mois, rémunérée.",
    "Séances d'essai gratuites proposées à nos clients.",
    "Vous travaillerez dans l'enceinte de l'hôpital.",
    "Suivi de grossesse et préparation à l'accouchement.",
    "Notre société, domiciliée à Nantes, est une jeune pousse.",
    "Vous accompagnerez les personnes âgées résidant dans l'établissement.",
    "Relations avec les organisations syndicales et les élus du personnel.",
    "Égalité professionnelle entre les femmes et les hommes.",
    "Poste ouvert aux femmes et aux hommes.",
    "Logiciel robuste et code de qualité.",
    "Mutuelle famille prise en charge à 60 %.",
    "Candidatures étudiées au fur et à mesure, par ordre d'arrivée.",
    "Dans l'enceinte du site, port des EPI obligatoire.",
])
def test_not_flagged(sentence):
    assert findings(CLEAN + sentence) == []


def test_finding_explains_in_french_with_the_offending_words():
    [finding] = findings(CLEAN + "Âge maximum : 45 ans pour ce poste.")
    assert finding.rule_id == "age_limit" and finding.field == "description"
    assert "Âge maximum : 45 ans" in finding.excerpt  # as written, accents and all
    assert "critère de discrimination" in finding.explanation
    assert finding.legal_basis.startswith("Code du travail, art. L1132-1")


def test_title_and_description_are_reported_separately():
    fields = {f.field for f in findings("Serveur de moins de 30 ans.", title="Serveur de moins de 30 ans H/F")
              if f.rule_id == "age_limit"}
    assert fields == {"title", "description"}


# --- legal exceptions ---

def test_age_in_work_study_is_a_warning_with_the_legal_note():
    [finding] = findings(CLEAN + "Vous avez moins de 30 ans.", contract={"type": "ALT", "duration_months": 24})
    assert (finding.rule_id, finding.severity) == ("age_limit", "warning")
    assert "L6222-1" in finding.explanation
    assert rules(CLEAN + "Contrat d'apprentissage, moins de 30 ans.")["age_limit"] == "warning"


def test_nationality_for_sovereign_public_posts_is_a_warning():
    assert rules(CLEAN + "Poste de la fonction publique d'État : nationalité française exigée.") == {
        "nationality": "warning"}


def test_sex_for_a_model_is_a_warning():
    assert rules(CLEAN + "Casting mannequins : profil féminin.")["sex_requirement"] == "warning"


def test_residence_for_emplois_francs_is_not_a_finding():
    assert rules(CLEAN + "Poste éligible emploi franc : vous devez habiter en QPV ou à Nantes.") == {}


def test_unpaid_pmsmp_is_only_a_warning():
    assert rules(CLEAN + "Immersion via une PMSMP : période d'essai non rémunérée.")["unpaid_trial"] == "warning"


def test_religion_in_a_religious_organisation_is_a_warning():
    assert rules(CLEAN + "Aumônerie catholique : catholique pratiquant souhaité.")["religion"] == "warning"


# --- gendered titles ---

@pytest.mark.parametrize("title, rule, severity", [
    ("Serveuse", "gendered_title", "blocking"),
    ("Serveuse H/F", "gendered_title", "blocking"),  # the feminine names the sex, H/F does not undo it
    ("Hôtesse de caisse", "gendered_title", "blocking"),
    ("Femme de chambre", "gendered_title", "blocking"),
    ("Assistante maternelle (H/F)", "gendered_title", "blocking"),
    ("Mécanicien automobile", "title_without_gender_mention", "warning"),
    ("Serveur", "title_without_gender_mention", "warning"),
])
def test_gendered_titles(title, rule, severity):
    assert rules(CLEAN, title=title).get(rule) == severity


@pytest.mark.parametrize("title", [
    "Serveur / Serveuse", "Serveur H/F", "Serveur (F/H)", "Serveur h/f", "Serveur - H/F", "Serveur(se)",
    "Vendeur·euse", "Employé(e) libre-service", "Valet / Femme de chambre", "Conseiller / Conseillère commerciale",
    "Hôte ou hôtesse d'accueil", "Sage-femme", "Secrétaire médicale", "Comptable", "Chef de rang",
])
def test_inclusive_or_epicene_titles(title):
    assert {"gendered_title", "title_without_gender_mention"}.isdisjoint(rules(CLEAN, title=title))


# --- language ---

ENGLISH = ("We are looking for a waiter to join our team in Nantes. You will welcome our guests, take the orders "
           "and serve the tables. You have a first experience and you are available on weekends.")


def test_an_offer_in_english_is_blocked():
    assert rules(ENGLISH, title="Waiter") == {"not_in_french": "blocking"}


FRENCH = ("Nous recherchons un serveur pour rejoindre notre équipe à Nantes. Vous accueillerez nos clients, "
          "prendrez les commandes et servirez les tables. Vous avez une première expérience et vous êtes "
          "disponible le week-end.")


def test_a_bilingual_offer_is_a_warning():
    assert rules(FRENCH + "\n\n" + ENGLISH) == {"partly_not_in_french": "warning"}


@pytest.mark.parametrize("text", [
    "Buscamos un camarero para nuestro restaurante en Nantes. El candidato tiene experiencia y es muy "
    "amable con los clientes, pero sobre todo somos un equipo: usted trabajará con una brigada joven.",
    "Wir suchen einen Kellner für unser Restaurant in Nantes. Sie sind freundlich und haben Erfahrung, "
    "die Arbeit ist nicht immer einfach, aber wir sind ein gutes Team und das Gehalt ist fair.",
])
def test_offers_in_other_languages_are_blocked(text):
    assert rules(text, title="Serveur H/F")["not_in_french"] == "blocking"


def test_english_technical_words_in_french_are_fine():
    text = ("Vous développerez des API REST en Python avec FastAPI, Docker et Kubernetes. Vous participerez "
            "aux code reviews, au pair programming et au déploiement continu dans le cloud, au sein d'une "
            "équipe DevOps agile.")
    assert rules(text, title="Développeur backend H/F", rome_code="M1805") == {}


def test_an_offer_in_another_script_is_blocked():
    assert rules("Требуется официант в ресторан. " * 10, title="Официант")["not_in_french"] == "blocking"


def test_a_short_text_is_not_judged():
    assert rules("Serveur, CDI, Nantes.") == {}


# --- missing essentials ---

def test_missing_place_and_contract_are_blocking():
    found = findings(CLEAN, place=None, contract=None)
    assert {(f.rule_id, f.severity, f.field) for f in found} == {
        ("missing_place", "blocking", "place"), ("missing_contract_type", "blocking", "contract.type")}
    assert is_blocking(found)


def test_blocking_findings_come_first_and_warnings_do_not_block():
    found = findings(CLEAN + "Équipe jeune. Vous devez habiter à Nantes.", title="Serveur")
    assert [f.severity for f in found] == ["blocking", "warning", "warning"]
    assert not is_blocking([f for f in found if f.severity == "warning"])


# --- the rules file ---

def test_excerpt_maps_back_through_ligatures():
    original = "Cœur de métier : âge maximum 40 ans, sœur bienvenue."
    folded = fold(original)
    start = folded.index("age maximum")
    text = excerpt(original, folded, (start, start + len("age maximum 40 ans")))
    assert "âge maximum 40 ans" in text


def test_a_malformed_rule_is_refused():
    document = {"rules": [{"id": "x", "severity": "fatal", "patterns": ["a"], "explanation": "e", "legal_basis": "b"}],
                "gendered_titles": {}, "language": {}, "missing": {}}
    with pytest.raises(InvalidRulebook, match="severity"):
        Rulebook.parse(document)


def test_triggers_are_worked_out_from_the_patterns():
    assert triggers_of(["(moins|plus) de [0-9]{2} ans"]) == {"ans"}
    assert triggers_of(["(pas|sans) (de )?grossesse"]) == {"grossesse"}
    assert triggers_of(["[a-z]+ [0-9]+"]) is None  # nothing spelled out: the rule always runs


RULEBOOK = Rulebook.default()


@pytest.mark.parametrize("rule", RULEBOOK.rules, ids=lambda rule: rule.id)
def test_every_match_of_a_rule_contains_one_of_its_triggers(rule):
    """The trigger words let most offers skip a rule without running its regex. If a pattern
    could match without one of them, the rule would silently miss offers: generate matches of
    each pattern and check."""
    if rule.triggers is None:
        return
    alternatives = _alternatives(rule.pattern.pattern)

    @settings(max_examples=60, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(alternatives).flatmap(lambda p: st.from_regex(p, fullmatch=True)))
    def check_match(text):
        assert not rule.triggers.isdisjoint(fold(text).split()), text

    check_match()


def _alternatives(compiled: str) -> list[str]:
    # The rule's regex is \b(?:(?:p1)|(?:p2)|...)\b: one strategy per pattern, ASCII-only matches.
    body = compiled[len(r"\b(?:"):-len(r")\b")]
    parts, depth, current = [], 0, ""
    for index, char in enumerate(body):
        escaped = index > 0 and body[index - 1] == "\\"
        if char == "(" and not escaped:
            depth += 1
        elif char == ")" and not escaped:
            depth -= 1
        if char == "|" and depth == 0 and not escaped:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [re.compile("(?a)" + part.replace(r"\s", " ")) for part in parts]


FILLER = "Vous travaillerez au sein d'une équipe accueillante, dans un cadre agréable et bien équipé. " * 12


def test_a_phrase_deep_in_a_long_offer_is_found_with_its_context():
    [finding] = findings(FILLER + "Candidat de moins de 30 ans uniquement. " + FILLER)
    assert finding.rule_id == "age_limit" and "moins de 30 ans" in finding.excerpt


def test_rules_are_searched_around_every_occurrence_of_their_words():
    # "ans" occurs early in a lawful phrase, then far later in an unlawful one.
    text = "Plus de 10 ans d'expérience. " + FILLER * 2 + "Âge limite : 40 ans. " + FILLER
    assert rules(text) == {"age_limit": "blocking"}


def test_a_lawful_phrasing_far_from_the_match_does_not_excuse_it():
    text = "Entreprise familiale depuis plus de 30 ans. " + FILLER + "Vous avez plus de 45 ans." + FILLER
    assert rules(text) == {"age_limit": "blocking"}
