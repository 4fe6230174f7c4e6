"""Generated job offers for the offers service: benchmark load and deduplication ground truth.

- `generate_offers(n, seed)`: native-shape offers with a realistic mix — ROME codes weighted like
  the offers France Travail receives (cleaning, restaurant service, logistics, care and home help
  first), communes from the shared geography, contract types about CDI 45 %, CDD 30 %, interim
  15 %, the rest seasonal, work-study and freelance; salaries by trade; French descriptions
  assembled from varied sentences so full-text search has something to find. About 25 µs an
  offer: a million in well under a minute.
- `generate_feed(n, seed)`: the same offers as (source, offer) pairs from several boards, some
  reposted on a second board with the edits boards make — what `make bench` ingests.
- `labelled_duplicates(seed)`: a few hundred pairs labelled by construction: the same job on two
  boards (reworded title, reordered paragraphs, small edits, SIRET dropped, board boilerplate) and
  distinct look-alikes (another branch of the same company, another job at the same employer,
  the same template at another employer, the same post for another season).
- `evaluate(pairs)`: precision and recall of `same_job` on such a set.

Everything is deterministic for a given seed.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, Callable, Iterator

from services.core.referentials.geo import default_geo
from services.offers.domain.siret import luhn_valid, with_check_digit

# --- Trades -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trade:
    rome: str
    weight: int  # offers per thousand, roughly as in France Travail's intake
    sector: str
    titles: tuple[str, ...]
    tasks: tuple[str, ...]
    skills: tuple[str, ...]
    monthly: tuple[int, int]  # typical gross monthly range, full time
    part_time_share: float = 0.1


def _t(rome, weight, sector, titles, tasks, skills, monthly, part_time_share=0.1) -> Trade:
    return Trade(rome, weight, sector, tuple(titles), tuple(tasks), tuple(skills), monthly, part_time_share)


TRADES: tuple[Trade, ...] = (
    _t("K2204", 60, "proprete", ["Agent d'entretien H/F", "Agent / Agente de propreté", "Agent de nettoyage (H/F)", "Agent de service H/F"],
       ["assurer le nettoyage des bureaux et des parties communes", "vider les corbeilles et trier les déchets",
        "entretenir les sanitaires dans le respect des protocoles d'hygiène", "utiliser l'autolaveuse et l'aspirateur dorsal",
        "signaler les anomalies au chef d'équipe", "réapprovisionner les consommables"],
       ["le respect des consignes d'hygiène", "l'autonomie sur un site", "la discrétion"], (1800, 1900), 0.45),
    _t("G1803", 55, "restauration", ["Serveur / Serveuse H/F", "Serveur en salle H/F", "Chef de rang H/F", "Serveur polyvalent (H/F)"],
       ["accueillir les clients et les installer en salle", "prendre les commandes et conseiller sur les plats du jour",
        "assurer le service à table et en terrasse", "dresser et débarrasser les tables", "encaisser les additions",
        "participer à la mise en place avant le service"],
       ["le sens du service", "une bonne tenue du rythme pendant le coup de feu", "une première expérience en salle"], (1800, 2100)),
    _t("N1103", 50, "logistique", ["Préparateur de commandes H/F", "Préparateur / Préparatrice de commandes", "Magasinier H/F", "Agent logistique (H/F)"],
       ["préparer les commandes à l'aide d'un terminal vocal", "contrôler les quantités et les références prélevées",
        "filmer et étiqueter les palettes", "réceptionner et ranger les marchandises", "participer aux inventaires",
        "charger les camions de livraison"],
       ["la rigueur", "le respect des cadences", "le CACES R489 catégorie 1 est un plus"], (1800, 2000)),
    _t("K1302", 50, "aide_domicile", ["Aide à domicile H/F", "Auxiliaire de vie H/F", "Assistant / Assistante de vie", "Auxiliaire de vie sociale (H/F)"],
       ["aider les personnes âgées dans les actes de la vie quotidienne", "préparer les repas et accompagner leur prise",
        "entretenir le logement et le linge", "accompagner les sorties et les courses", "stimuler l'autonomie des personnes accompagnées",
        "rendre compte de vos interventions au responsable de secteur"],
       ["l'écoute et la bienveillance", "le permis B et un véhicule", "le DEAES est apprécié"], (1800, 1950), 0.5),
    _t("G1602", 45, "restauration", ["Cuisinier / Cuisinière H/F", "Commis de cuisine H/F", "Cuisinier de collectivité (H/F)", "Aide de cuisine H/F"],
       ["préparer les entrées, les plats et les desserts", "réaliser la mise en place avant le service", "respecter les normes HACCP",
        "réceptionner et contrôler les livraisons", "assurer le nettoyage du poste de travail", "participer à l'élaboration des menus"],
       ["un CAP cuisine", "l'organisation", "le goût du travail en équipe"], (1850, 2300)),
    _t("J1501", 40, "soins", ["Aide-soignant / Aide-soignante H/F", "Aide-soignant de jour H/F", "Aide-soignant en EHPAD (H/F)"],
       ["dispenser les soins d'hygiène et de confort aux résidents", "aider aux repas et à la mobilité", "surveiller l'état de santé et alerter l'infirmier",
        "participer aux transmissions écrites et orales", "accompagner les animations de l'établissement", "entretenir l'environnement des résidents"],
       ["le diplôme d'État d'aide-soignant", "le sens de l'écoute", "le travail en équipe pluridisciplinaire"], (2000, 2300), 0.2),
    _t("H3302", 35, "industrie", ["Opérateur de production H/F", "Agent de conditionnement H/F", "Opérateur / Opératrice de conditionnement", "Agent de production (H/F)"],
       ["alimenter la ligne de production", "conditionner les produits finis", "contrôler la qualité visuelle des pièces",
        "renseigner les documents de traçabilité", "nettoyer et ranger le poste", "signaler les dysfonctionnements"],
       ["la rigueur", "le respect des règles de sécurité", "la dextérité"], (1800, 2000)),
    _t("D1507", 35, "commerce", ["Employé libre-service H/F", "Employé commercial (H/F)", "Employé / Employée de rayon", "Équipier de magasin H/F"],
       ["mettre en rayon les produits", "assurer la rotation et le contrôle des dates", "réaliser le facing", "renseigner et orienter les clients",
        "réceptionner les livraisons", "participer aux inventaires"],
       ["le sens du commerce", "le dynamisme", "une première expérience en grande surface"], (1800, 1900), 0.35),
    _t("N4101", 30, "transport", ["Chauffeur poids lourd H/F", "Conducteur routier SPL H/F", "Chauffeur SPL (H/F)", "Conducteur / Conductrice poids lourd"],
       ["effectuer des livraisons régionales en semi-remorque", "charger et décharger la marchandise", "vérifier l'état du véhicule avant le départ",
        "respecter la réglementation sur les temps de conduite", "remettre les documents de transport", "entretenir la relation avec les clients livrés"],
       ["le permis CE et la FIMO ou FCO à jour", "la carte conducteur", "le sens des responsabilités"], (2200, 2600)),
    _t("N4105", 30, "transport", ["Chauffeur livreur H/F", "Chauffeur-livreur VL (H/F)", "Livreur / Livreuse", "Conducteur livreur H/F"],
       ["livrer les colis aux particuliers et aux professionnels", "préparer la tournée au dépôt", "charger le véhicule",
        "faire signer les bons de livraison", "encaisser les contre-remboursements", "gérer les retours"],
       ["le permis B", "la ponctualité", "le sens du relationnel client"], (1850, 2050)),
    _t("G1603", 30, "restauration", ["Équipier polyvalent H/F", "Employé polyvalent de restauration (H/F)", "Équipier de restauration rapide H/F"],
       ["préparer les commandes en cuisine", "accueillir et servir les clients au comptoir", "tenir la caisse", "assurer la propreté de la salle",
        "réceptionner les livraisons", "respecter les règles d'hygiène"],
       ["le sourire", "la polyvalence", "la disponibilité en soirée et le week-end"], (1800, 1850), 0.5),
    _t("J1506", 25, "soins", ["Infirmier / Infirmière H/F", "Infirmier diplômé d'État (H/F)", "Infirmier de nuit H/F"],
       ["réaliser les soins techniques et la distribution des traitements", "assurer le suivi des dossiers de soins",
        "coordonner l'équipe d'aides-soignants", "accueillir les nouveaux patients", "participer aux réunions de synthèse", "assurer la liaison avec les médecins"],
       ["le diplôme d'État d'infirmier", "le sens de l'organisation", "le goût du travail en équipe"], (2400, 2900), 0.2),
    _t("D1106", 22, "commerce", ["Vendeur en boulangerie H/F", "Vendeur / Vendeuse en alimentation", "Vendeur fromager (H/F)"],
       ["accueillir et conseiller les clients", "mettre en valeur les produits en vitrine", "encaisser les ventes", "préparer les commandes",
        "veiller à la fraîcheur des produits", "entretenir la boutique"],
       ["le sens du contact", "une excellente présentation", "la connaissance des produits frais"], (1800, 1900), 0.35),
    _t("D1214", 20, "commerce", ["Vendeur en prêt-à-porter H/F", "Conseiller de vente textile (H/F)", "Vendeur / Vendeuse en habillement"],
       ["accueillir et conseiller la clientèle", "réaliser les ventes et les encaissements", "mettre en rayon les nouvelles collections",
        "participer au merchandising", "gérer les cabines d'essayage", "atteindre les objectifs de vente"],
       ["le goût de la mode", "le sens commercial", "une première expérience en boutique"], (1800, 1950), 0.4),
    _t("F1703", 18, "batiment", ["Maçon H/F", "Maçon coffreur (H/F)", "Aide maçon H/F", "Maçon / Maçonne"],
       ["monter les murs en parpaings et en briques", "réaliser les fondations et les dalles", "poser les coffrages et couler le béton",
        "lire les plans d'exécution", "préparer les mortiers", "sécuriser le chantier"],
       ["un CAP maçon", "le travail en équipe", "le respect des consignes de sécurité"], (2000, 2500)),
    _t("F1602", 18, "batiment", ["Électricien H/F", "Électricien du bâtiment (H/F)", "Électricien / Électricienne tertiaire"],
       ["installer les réseaux électriques en neuf et en rénovation", "poser les tableaux et les appareillages", "tirer les câbles et raccorder",
        "réaliser les mises en service", "diagnostiquer les pannes", "respecter la norme NF C 15-100"],
       ["l'habilitation électrique", "l'autonomie", "un CAP ou un BP électricien"], (2100, 2600)),
    _t("M1805", 20, "informatique", ["Développeur Python H/F", "Développeur full stack (H/F)", "Développeur / Développeuse web", "Ingénieur logiciel H/F"],
       ["concevoir et développer de nouvelles fonctionnalités", "écrire des tests automatisés", "participer aux revues de code",
        "maintenir l'intégration et le déploiement continus", "rédiger la documentation technique", "échanger avec les équipes produit"],
       ["la maîtrise de Python ou de Java", "le goût du travail en équipe agile", "la connaissance de Docker et de Git"], (3000, 4200)),
    _t("M1607", 15, "bureau", ["Secrétaire H/F", "Secrétaire administratif (H/F)", "Secrétaire polyvalent / polyvalente"],
       ["accueillir les visiteurs et gérer le standard", "rédiger les courriers et les comptes rendus", "gérer les agendas",
        "classer et archiver les documents", "préparer les réunions", "suivre les commandes de fournitures"],
       ["la maîtrise des outils bureautiques", "une orthographe irréprochable", "le sens de l'organisation"], (1850, 2200), 0.3),
    _t("M1203", 15, "bureau", ["Comptable H/F", "Aide-comptable (H/F)", "Comptable général H/F", "Assistant comptable H/F"],
       ["saisir les pièces comptables", "effectuer les rapprochements bancaires", "suivre les comptes fournisseurs et clients",
        "préparer les déclarations de TVA", "participer aux clôtures mensuelles", "relancer les impayés"],
       ["un BTS comptabilité et gestion", "la rigueur", "la maîtrise d'un logiciel comptable"], (2100, 2800)),
    _t("K1303", 15, "aide_domicile", ["Garde d'enfants à domicile H/F", "Auxiliaire parentale (H/F)", "Garde d'enfants H/F"],
       ["aller chercher les enfants à l'école", "préparer le goûter et le dîner", "accompagner les devoirs", "proposer des activités d'éveil",
        "donner le bain", "veiller à la sécurité des enfants"],
       ["une expérience auprès d'enfants", "la patience", "un CAP accompagnant éducatif petite enfance est apprécié"], (1800, 1850), 0.8),
    _t("D1505", 15, "commerce", ["Hôte de caisse H/F", "Caissier / Caissière", "Employé de caisse (H/F)"],
       ["accueillir les clients en caisse", "enregistrer les achats et encaisser", "tenir le fond de caisse", "renseigner sur les promotions",
        "participer à la mise en rayon", "ranger la zone de caisse"],
       ["le sens du service", "la rigueur dans les encaissements", "la disponibilité le samedi"], (1800, 1850), 0.6),
    _t("N1101", 15, "logistique", ["Cariste H/F", "Cariste CACES 3 (H/F)", "Cariste magasinier H/F"],
       ["charger et décharger les camions", "approvisionner les lignes de préparation", "ranger les palettes en hauteur",
        "contrôler les réceptions", "réaliser les mouvements de stock informatiques", "entretenir le chariot"],
       ["le CACES R489 catégories 3 et 5", "la vigilance", "une expérience en entrepôt"], (1850, 2100)),
    _t("K2503", 15, "securite", ["Agent de sécurité H/F", "Agent de sécurité SSIAP 1 (H/F)", "Agent de prévention et de sécurité H/F"],
       ["contrôler les accès du site", "effectuer des rondes de surveillance", "gérer le poste de sécurité", "intervenir en cas d'alarme",
        "rédiger la main courante", "accueillir les visiteurs"],
       ["la carte professionnelle CNAPS", "le SSIAP 1 est un plus", "le sang-froid"], (1850, 2100)),
    _t("I1604", 12, "automobile", ["Mécanicien automobile H/F", "Mécanicien / Mécanicienne VL", "Technicien automobile (H/F)"],
       ["réaliser l'entretien courant des véhicules", "diagnostiquer les pannes avec la valise", "remplacer les pièces d'usure",
        "effectuer les vidanges et les révisions constructeur", "préparer les véhicules avant livraison", "conseiller les clients à l'atelier"],
       ["un CAP ou un bac pro maintenance des véhicules", "la précision", "le goût des diagnostics"], (1900, 2400)),
    _t("D1403", 12, "commercial", ["Conseiller commercial H/F", "Commercial terrain (H/F)", "Conseiller / Conseillère commerciale"],
       ["prospecter une clientèle de particuliers", "présenter et vendre nos solutions", "réaliser les devis et suivre les signatures",
        "fidéliser le portefeuille clients", "participer aux salons", "remonter les informations du terrain"],
       ["le goût du challenge", "l'aisance relationnelle", "le permis B"], (1900, 2600)),
    _t("D1402", 12, "commercial", ["Commercial B2B H/F", "Ingénieur commercial (H/F)", "Chargé d'affaires H/F", "Attaché commercial H/F"],
       ["développer un portefeuille d'entreprises clientes", "identifier les besoins et construire les offres", "négocier les contrats",
        "suivre le chiffre d'affaires de votre secteur", "représenter l'entreprise lors d'événements", "coordonner les équipes techniques"],
       ["une première expérience de vente aux entreprises", "le sens de la négociation", "l'autonomie"], (2500, 3500)),
    _t("F1603", 10, "batiment", ["Plombier chauffagiste H/F", "Plombier / Plombière", "Chauffagiste (H/F)"],
       ["installer les équipements sanitaires", "poser les réseaux de chauffage", "raccorder les chaudières et les pompes à chaleur",
        "réaliser les dépannages", "entretenir les installations", "conseiller les clients"],
       ["un CAP plombier", "l'autonomie sur chantier", "le permis B"], (2100, 2600)),
    _t("A1203", 12, "espaces_verts", ["Jardinier paysagiste H/F", "Ouvrier paysagiste (H/F)", "Agent d'entretien des espaces verts H/F"],
       ["tondre, tailler et désherber les espaces verts", "planter les massifs et les arbustes", "entretenir le matériel",
        "réaliser de petits travaux de maçonnerie paysagère", "évacuer les déchets verts", "arroser les plantations"],
       ["un CAP travaux paysagers", "le goût du travail en extérieur", "le permis B"], (1850, 2100)),
    _t("G1501", 10, "hotellerie", ["Valet / Femme de chambre", "Employé d'étage H/F", "Agent d'étage (H/F)"],
       ["nettoyer les chambres et les salles de bains", "refaire les lits", "réapprovisionner les produits d'accueil",
        "contrôler le minibar", "signaler les anomalies techniques", "entretenir les couloirs"],
       ["le souci du détail", "la rapidité", "la discrétion"], (1800, 1850), 0.3),
    _t("G1703", 8, "hotellerie", ["Réceptionniste H/F", "Réceptionniste d'hôtel (H/F)", "Night auditor H/F"],
       ["accueillir les clients à leur arrivée", "gérer les réservations", "réaliser les check-in et check-out", "encaisser les séjours",
        "renseigner sur les activités touristiques", "traiter les réclamations"],
       ["l'anglais courant", "la maîtrise d'un logiciel hôtelier", "le sens de l'accueil"], (1850, 2100)),
    _t("N1105", 15, "logistique", ["Manutentionnaire H/F", "Agent de manutention (H/F)", "Manutentionnaire polyvalent H/F"],
       ["charger et décharger les marchandises", "trier les colis", "ranger le stock", "préparer les expéditions",
        "maintenir la zone de travail propre", "manipuler le transpalette"],
       ["la ponctualité", "l'esprit d'équipe", "le respect des consignes de sécurité"], (1800, 1850)),
    _t("H2913", 8, "industrie", ["Soudeur H/F", "Soudeur TIG (H/F)", "Soudeur / Soudeuse MIG MAG"],
       ["souder des ensembles en acier et en inox", "lire les plans et les gammes de soudage", "préparer les pièces",
        "contrôler la conformité des soudures", "régler les postes de soudage", "entretenir le matériel"],
       ["une qualification en soudage", "la précision", "la lecture de plans"], (2100, 2600)),
    _t("I1304", 12, "industrie", ["Technicien de maintenance industrielle H/F", "Électromécanicien (H/F)", "Technicien de maintenance H/F"],
       ["réaliser la maintenance préventive des lignes", "diagnostiquer et réparer les pannes", "améliorer la fiabilité des équipements",
        "mettre à jour la GMAO", "participer aux arrêts techniques", "proposer des améliorations"],
       ["un BTS maintenance des systèmes", "l'habilitation électrique", "l'esprit d'analyse"], (2300, 2900)),
    _t("K2111", 8, "formation", ["Formateur H/F", "Formateur pour adultes (H/F)", "Formateur / Formatrice en insertion"],
       ["animer des sessions de formation", "concevoir les supports pédagogiques", "évaluer les acquis des stagiaires",
        "accompagner les parcours individuels", "assurer le suivi administratif des sessions", "travailler avec les entreprises partenaires"],
       ["une expérience d'animation de groupes", "la pédagogie", "le titre de formateur professionnel d'adultes est un plus"], (2100, 2500)),
    _t("M1602", 12, "bureau", ["Agent administratif H/F", "Assistant administratif (H/F)", "Employé administratif H/F"],
       ["traiter les dossiers administratifs", "saisir les informations dans le logiciel métier", "répondre aux appels et aux courriels",
        "classer et archiver", "préparer les factures", "suivre les relances"],
       ["la maîtrise des outils bureautiques", "la rigueur", "le sens du service"], (1800, 2000), 0.25),
    _t("D1408", 12, "relation_client", ["Téléconseiller H/F", "Conseiller clientèle à distance (H/F)", "Téléconseiller / Téléconseillère"],
       ["répondre aux appels des clients", "traiter les demandes par courriel et chat", "proposer des offres adaptées",
        "mettre à jour les dossiers clients", "résoudre les réclamations", "atteindre les objectifs de qualité"],
       ["l'aisance au téléphone", "une bonne orthographe", "la maîtrise de l'outil informatique"], (1800, 1950), 0.2),
    _t("G1605", 10, "restauration", ["Plongeur H/F", "Plongeur en restauration (H/F)", "Agent de plonge H/F"],
       ["laver la vaisselle et les ustensiles", "entretenir la cuisine et les sols", "ranger la vaisselle", "évacuer les déchets",
        "aider à la préparation des légumes", "respecter les règles d'hygiène"],
       ["la rapidité", "le travail en équipe", "la disponibilité en soirée"], (1800, 1820), 0.3),
    _t("F1606", 8, "batiment", ["Peintre en bâtiment H/F", "Peintre (H/F)", "Peintre décorateur H/F"],
       ["préparer les supports", "appliquer les enduits et les peintures", "poser les revêtements muraux", "protéger les chantiers",
        "réaliser les finitions", "nettoyer le matériel"],
       ["un CAP peintre applicateur de revêtements", "le soin", "l'autonomie"], (1900, 2300)),
    _t("K1207", 8, "social", ["Éducateur spécialisé H/F", "Moniteur éducateur (H/F)", "Éducateur / Éducatrice spécialisée"],
       ["accompagner les jeunes dans leur projet individuel", "animer des activités éducatives", "travailler avec les familles",
        "rédiger les écrits professionnels", "participer aux réunions d'équipe", "coordonner avec les partenaires"],
       ["le diplôme d'État d'éducateur spécialisé", "la capacité d'écoute", "la stabilité émotionnelle"], (2100, 2500), 0.15),
    _t("D1102", 8, "alimentation", ["Boulanger H/F", "Boulanger / Boulangère", "Ouvrier boulanger (H/F)"],
       ["pétrir et façonner les pains", "assurer la cuisson", "préparer la viennoiserie", "gérer les levains",
        "respecter les règles d'hygiène", "proposer de nouvelles recettes"],
       ["un CAP boulanger", "l'autonomie", "la disponibilité en horaires de nuit"], (1950, 2300)),
    _t("M1501", 6, "bureau", ["Assistant RH H/F", "Gestionnaire de paie (H/F)", "Assistant / Assistante ressources humaines"],
       ["gérer l'administration du personnel", "préparer les éléments de paie", "suivre les absences et les congés",
        "rédiger les contrats de travail", "organiser les visites médicales", "répondre aux questions des salariés"],
       ["une formation en ressources humaines", "la discrétion", "la maîtrise d'un SIRH"], (2100, 2600)),
    _t("F1201", 6, "batiment", ["Conducteur de travaux H/F", "Conducteur de travaux TCE (H/F)", "Conducteur / Conductrice de travaux"],
       ["piloter plusieurs chantiers", "planifier les interventions", "suivre les budgets", "animer les réunions de chantier",
        "encadrer les chefs d'équipe", "veiller à la sécurité"],
       ["un BTS bâtiment ou un diplôme d'ingénieur", "le leadership", "le sens de l'organisation"], (3000, 3800)),
    _t("A1401", 12, "agriculture", ["Ouvrier agricole H/F", "Cueilleur / Cueilleuse", "Ouvrier viticole (H/F)"],
       ["récolter les fruits et les légumes", "tailler la vigne", "trier et conditionner la production", "entretenir les parcelles",
        "conduire le tracteur", "préparer les commandes"],
       ["le goût du travail en extérieur", "l'endurance", "le permis B est un plus"], (1800, 1850)),
)

SECTORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # sector: (employer name prefixes, workplace words)
    "proprete": (("Nettoyage", "Propreté Services", "Clean", "Multiservices"), ("sites tertiaires", "bureaux", "résidences")),
    "restauration": (("Restaurant", "Brasserie", "Le Bistrot", "La Table"), ("restaurant", "brasserie", "établissement")),
    "logistique": (("Logistique", "Transports et Logistique", "Entrepôts", "Plateforme"), ("entrepôt", "plateforme logistique", "site")),
    "aide_domicile": (("Domicile Services", "Âge et Vie", "Aide à Domicile", "Familles Services"), ("secteur", "agence", "territoire")),
    "soins": (("EHPAD", "Clinique", "Centre Hospitalier", "Résidence"), ("établissement", "service", "unité")),
    "industrie": (("Industries", "Usine", "Ateliers", "Mécanique"), ("usine", "atelier", "site de production")),
    "commerce": (("Supermarché", "Boutique", "Magasin", "Marché"), ("magasin", "point de vente", "boutique")),
    "transport": (("Transports", "Messagerie", "Express", "Fret"), ("agence", "dépôt", "centre de distribution")),
    "batiment": (("Bâtiment", "Construction", "BTP", "Rénovation"), ("chantiers", "agence", "entreprise")),
    "informatique": (("Numérique", "Logiciels", "Solutions", "Digital"), ("équipe produit", "pôle technique", "studio")),
    "bureau": (("Cabinet", "Groupe", "Conseil", "Gestion"), ("siège", "agence", "service")),
    "securite": (("Sécurité", "Protection", "Surveillance", "Gardiennage"), ("site client", "centre commercial", "agence")),
    "automobile": (("Garage", "Auto Services", "Carrosserie", "Centre Auto"), ("atelier", "garage", "concession")),
    "commercial": (("Énergies", "Habitat", "Solutions", "Distribution"), ("agence", "secteur", "équipe commerciale")),
    "espaces_verts": (("Paysages", "Jardins", "Espaces Verts", "Nature"), ("chantiers", "agence", "secteur")),
    "hotellerie": (("Hôtel", "Grand Hôtel", "Résidence Hôtelière", "Hôtel du Parc"), ("hôtel", "établissement", "résidence")),
    "formation": (("Formation", "Institut", "Centre de Formation", "Académie"), ("centre", "organisme", "site")),
    "relation_client": (("Contact", "Relation Client", "Centre d'Appels", "Services Clients"), ("plateau", "centre", "site")),
    "social": (("Association", "Foyer", "Institut", "Maison d'Enfants"), ("établissement", "service", "foyer")),
    "alimentation": (("Boulangerie", "Fournil", "Maison", "Au Pain"), ("fournil", "boutique", "laboratoire")),
    "agriculture": (("Vergers", "Domaine", "EARL", "Maraîchers"), ("exploitation", "domaine", "vergers")),
}

SURNAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia David "
    "Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet François Martinez Legrand "
    "Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez "
    "Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël "
    "Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez"
).split()
PLACE_WORDS = ("du Centre", "de l'Ouest", "des Deux Rives", "du Val", "de la Vallée", "du Littoral", "des Collines",
               "de la Gare", "du Port", "des Halles", "Atlantique", "du Lac", "des Prés")
LEGAL_FORMS = ("", "", "", "SARL ", "SAS ", "")

INTROS = (
    "{employer}, {kind} implanté à {city}, renforce son équipe.",
    "Implantée à {city} depuis {year}, {employer} recrute pour son {kind}.",
    "{employer} est une entreprise de {size} salariés basée à {city}. Pour accompagner notre croissance, nous recrutons.",
    "Rejoignez {employer}, acteur reconnu de la région de {city}, au sein de notre {kind}.",
    "Notre {kind} de {city} recherche un nouveau collaborateur pour compléter une équipe de {team} personnes.",
)
MISSION_INTROS = ("Vos missions :", "Au quotidien, vous serez chargé de :", "Vous aurez pour missions de :",
                  "Rattaché à votre responsable, vous devrez :", "Vos principales responsabilités :")
PROFILE_TEMPLATES = (
    "Nous recherchons une personne motivée. Vous avez {skill1} et {skill2}.",
    "Profil : {skill1}, {skill2}. Débutants acceptés si vous êtes motivé.",
    "Vous justifiez de {skill1}. {Skill2} sera un atout.",
    "Ce poste demande {skill1} ainsi que {skill2}. Une formation interne est prévue à l'arrivée.",
)
BENEFITS = ("mutuelle d'entreprise", "tickets restaurant", "prime de fin d'année", "participation aux transports",
            "13e mois", "prime d'ancienneté", "comité social et économique", "formations régulières", "prime de panier",
            "heures supplémentaires majorées", "véhicule de service", "remboursement des frais kilométriques")
CLOSINGS = ("", "", "Postulez en joignant votre CV.", "Les candidatures sont étudiées au fil de l'eau.",
            "Entretien possible rapidement.", "Venez nous rencontrer !")
CONTRACT_WORDS = {"CDI": "CDI", "CDD": "CDD de {months} mois", "MIS": "mission d'intérim de {months} mois",
                  "SAI": "contrat saisonnier de {months} mois", "ALT": "contrat d'apprentissage de {months} mois",
                  "LIB": "statut indépendant"}
CONTRACTS = (("CDI", 45), ("CDD", 30), ("MIS", 15), ("SAI", 4), ("ALT", 4), ("LIB", 2))
DURATIONS = {"CDD": (1, 2, 3, 3, 6, 6, 6, 9, 12, 12, 18), "MIS": (1, 1, 2, 3, 3, 6), "SAI": (2, 3, 4, 6), "ALT": (12, 24, 24, 36)}
# Phrasings the legality check must catch, for the share of problem offers of a realistic intake.
PROBLEM_SENTENCES = (
    "Candidat de moins de 30 ans de préférence.", "Période d'essai non rémunérée.", "Vous êtes jeune et dynamique.",
    "Physique agréable exigé.", "Vous devez habiter à {city}.", "Nationalité française exigée.",
)
BASE_DAY = date(2024, 5, 1)


# --- Employers and places ---------------------------------------------------------------------

@dataclass(frozen=True)
class Employer:
    name: str
    siret: str
    commune_code: str
    city: str


def _siren(rng: random.Random) -> str:
    while True:
        siren = str(rng.randrange(100_000_000, 999_999_999))
        if luhn_valid(siren) and not siren.startswith("356000000"):
            return siren


def _establishment(rng: random.Random, siren: str) -> str:
    return with_check_digit(f"{siren}{rng.randrange(1, 9999):04d}")


_CITY = re.compile(r"\s+[0-9]+(er|e) Arrondissement$")


def weighted_communes() -> tuple[tuple[tuple[str, str], ...], tuple[int, ...]]:
    """Communes with weights: big cities and their arrondissements draw more offers."""
    big = {"75", "69", "13", "31", "06", "44", "33", "59", "67", "34", "35"}
    communes, weights = [], []
    for commune in default_geo().communes():
        if commune.insee_code in ("75056", "69123", "13055"):
            continue  # offers name the arrondissement, not the whole city
        communes.append((commune.insee_code, _CITY.sub("", commune.name)))
        weights.append(6 if commune.departement_code in big else 2)
    return tuple(communes), tuple(accumulate(weights))


class _World:
    """Employers per sector and weighted draws, built once per seed."""

    def __init__(self, seed: int, employers_per_sector: int = 400) -> None:
        rng = random.Random(f"world-{seed}")
        self.communes, self.commune_weights = weighted_communes()
        self.trade_weights = tuple(accumulate(t.weight for t in TRADES))
        self.contract_weights = tuple(accumulate(w for _, w in CONTRACTS))
        self.employers: dict[str, list[Employer]] = {}
        for sector, (prefixes, _) in SECTORS.items():
            pool = []
            for _ in range(employers_per_sector):
                code, city = rng.choices(self.communes, cum_weights=self.commune_weights)[0]
                name = f"{rng.choice(LEGAL_FORMS)}{rng.choice(prefixes)} {rng.choice(SURNAMES)}"
                if rng.random() < 0.3:
                    name += f" {rng.choice(PLACE_WORDS)}"
                pool.append(Employer(name, _establishment(rng, _siren(rng)), code, city))
            self.employers[sector] = pool


# --- Offers -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Draft:
    """An offer before rendering: what variants of the same job are built from."""

    trade: Trade
    employer: Employer
    commune_code: str
    city: str
    title: str
    paragraphs: tuple[str, ...]
    contract: str
    months: int | None
    part_time_hours: float | None
    salary: tuple[int, int] | None
    hourly: bool
    accessible: bool
    starts_on: date | None
    with_siret: bool = True


def _paragraphs(rng: random.Random, trade: Trade, employer: Employer, city: str, contract: str, months: int | None,
                hours: float | None, salary: tuple[int, int] | None, hourly: bool, problem: bool) -> tuple[str, ...]:
    _, workplaces = SECTORS[trade.sector]
    intro = rng.choice(INTROS).format(employer=employer.name.replace("SARL ", "").replace("SAS ", ""), kind=rng.choice(workplaces),
                                      city=city, year=rng.randrange(1950, 2020), size=rng.randrange(12, 400),
                                      team=rng.randrange(4, 40))
    tasks = rng.sample(trade.tasks, 4)
    missions = f"{rng.choice(MISSION_INTROS)}\n- " + ";\n- ".join(tasks) + "."
    skill1, skill2 = rng.sample(trade.skills, 2)
    profile = rng.choice(PROFILE_TEMPLATES).format(skill1=skill1, skill2=skill2, Skill2=skill2[0].upper() + skill2[1:])
    if problem:
        profile += " " + rng.choice(PROBLEM_SENTENCES).format(city=city)
    contract_words = CONTRACT_WORDS[contract].format(months=months)
    time_words = f"temps partiel de {hours:g} heures par semaine" if hours else "temps plein, 35 heures par semaine"
    pay = ""
    if salary:
        low, high = salary
        pay = (f" Taux horaire de {low / 151.67:.2f} à {high / 151.67:.2f} € brut." if hourly
               else f" Salaire de {low} à {high} € brut mensuel selon expérience.")
    benefits = ", ".join(rng.sample(BENEFITS, 2))
    conditions = f"Poste en {contract_words}, {time_words}.{pay} Avantages : {benefits}."
    closing = rng.choice(CLOSINGS)
    return (intro, missions, profile, conditions + (" " + closing if closing else ""))


def _draft(rng: random.Random, world: _World, problem: bool = False, trade: Trade | None = None,
           employer: Employer | None = None) -> Draft:
    trade = trade or rng.choices(TRADES, cum_weights=world.trade_weights)[0]
    employer = employer or rng.choice(world.employers[trade.sector])
    commune_code, city = employer.commune_code, employer.city
    contract = rng.choices(CONTRACTS, cum_weights=world.contract_weights)[0][0]
    months = rng.choice(DURATIONS[contract]) if contract in DURATIONS else None
    hours = rng.choice((20.0, 24.0, 28.0, 30.0)) if rng.random() < trade.part_time_share else None
    salary = None
    if rng.random() < 0.7:
        low = int(trade.monthly[0] * rng.uniform(1.0, 1.06))
        salary = (low, max(low, int(trade.monthly[1] * rng.uniform(0.95, 1.1))))
    hourly = contract == "MIS" or (salary is not None and rng.random() < 0.1)
    title = rng.choice(trade.titles)
    if rng.random() < 0.1:
        title = re.sub(r"\s*\(?H/F\)?$", "", title)  # some boards drop "H/F": a warning, not a block
    return Draft(trade, employer, commune_code, city, title,
                 _paragraphs(rng, trade, employer, city, contract, months, hours, salary, hourly, problem),
                 contract, months, hours, salary, hourly, rng.random() < 0.2,
                 BASE_DAY + timedelta(days=rng.randrange(0, 120)) if rng.random() < 0.5 else None)


def render(draft: Draft, source_offer_id: str) -> dict[str, Any]:
    """The native deposit shape of a draft."""
    offer: dict[str, Any] = {
        "source_offer_id": source_offer_id,
        "title": draft.title,
        "description": "\n\n".join(draft.paragraphs),
        "employer": {"name": draft.employer.name, **({"siret": draft.employer.siret} if draft.with_siret else {})},
        "place": {"commune_code": draft.commune_code},
        "rome_code": draft.trade.rome,
        "contract": {"type": draft.contract, **({"duration_months": draft.months} if draft.months else {})},
        "working_time": ({"type": "part_time", "weekly_hours": draft.part_time_hours} if draft.part_time_hours
                         else {"type": "full_time", "weekly_hours": 35}),
        "accessible_to_disabled": draft.accessible,
        "positions": 1,
    }
    if draft.salary:
        low, high = draft.salary
        offer["salary"] = ({"min": round(low / 151.67, 2), "max": round(high / 151.67, 2), "period": "hour"} if draft.hourly
                           else {"min": low, "max": high, "period": "month"})
    if draft.starts_on:
        offer["starts_on"] = draft.starts_on.isoformat()
    return offer


def generate_offers(n: int, seed: int = 0, *, problem_share: float = 0.01) -> Iterator[dict[str, Any]]:
    """`n` distinct native offers; `problem_share` of them carry a phrasing the legality check
    blocks or warns about, as a real intake does."""
    rng = random.Random(seed)
    world = _World(seed)
    for index in range(n):
        yield render(_draft(rng, world, problem=rng.random() < problem_share), f"gen-{seed}-{index}")


BOARDS = ("employeur-direct", "jobboard-ouest", "emploi-territoires", "interim-plus")


def generate_feed(n: int, seed: int = 0, *, repost_share: float = 0.15,
                  problem_share: float = 0.01) -> Iterator[tuple[str, dict[str, Any]]]:
    """`n` (source, offer) pairs: original offers from several boards and, for `repost_share`
    of them, the same job reposted on another board with a board's edits (a near-duplicate the
    deduplication should merge)."""
    rng = random.Random(seed)
    world = _World(seed)
    index = 0
    while index < n:
        draft = _draft(rng, world, problem=rng.random() < problem_share)
        source = rng.choice(BOARDS)
        yield source, render(draft, f"{source}-{seed}-{index}")
        index += 1
        if index < n and rng.random() < repost_share:
            other = rng.choice([b for b in BOARDS if b != source])
            yield other, render(_repost(rng, draft), f"{other}-{seed}-{index}")
            index += 1


# --- Labelled near-duplicates -----------------------------------------------------------------

_SYNONYMS = (("recrute", "recherche"), ("renforce", "complète"), ("équipe", "brigade"), ("motivée", "impliquée"),
             ("missions", "tâches"), ("Avantages", "Nous offrons"), ("chargé", "responsable"), ("Profil", "Votre profil"),
             ("principales", "grandes"), ("nouveau", "futur"))
_BOARD_FOOTERS = ("Offre diffusée par notre partenaire emploi.", "Référence de l'annonce à rappeler dans votre candidature.",
                  "Annonce publiée via notre plateforme de diffusion multi-sites.", "Pour postuler, cliquez sur le bouton ci-dessous.")
_TITLE_DECORATIONS = (lambda t: "URGENT - " + t, lambda t: t.upper(), lambda t: t.replace("H/F", "(F/H)"),
                      lambda t: t + " - " + "CDI / CDD", lambda t: re.sub(r"\s*\(?H/F\)?$", "", t) + " H/F")


def _reword_title(rng: random.Random, draft: Draft) -> str:
    others = [t for t in draft.trade.titles if t != draft.title]
    title = rng.choice(others) if others and rng.random() < 0.7 else draft.title
    return rng.choice(_TITLE_DECORATIONS)(title) if rng.random() < 0.5 else title


def _small_edits(rng: random.Random, paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    text = "\n\n".join(paragraphs)
    for old, new in rng.sample(_SYNONYMS, 3):
        text = text.replace(old, new, 1)
    edited = list(text.split("\n\n"))
    if rng.random() < 0.5:
        edited.append(rng.choice(_BOARD_FOOTERS))
    if rng.random() < 0.3:
        edited[-1] = edited[-1] + " Poste à pourvoir rapidement."
    return tuple(edited)


def _repost(rng: random.Random, draft: Draft) -> Draft:
    """The same job as another board shows it: one or more of a reworded title, the company
    presentation left out, reordered paragraphs, small edits, a board footer, no SIRET."""
    title, paragraphs, with_siret = draft.title, draft.paragraphs, draft.with_siret
    edits = rng.sample(("title", "drop_intro", "order", "edits", "siret"), rng.randrange(1, 4))
    if "title" in edits:
        title = _reword_title(rng, draft)
    if "drop_intro" in edits:
        paragraphs = paragraphs[1:]
    if "order" in edits:
        paragraphs = tuple(rng.sample(paragraphs, len(paragraphs)))
    if "edits" in edits:
        paragraphs = _small_edits(rng, paragraphs)
    if "siret" in edits:
        with_siret = False
    return replace(draft, title=title, paragraphs=paragraphs, with_siret=with_siret)


def _other_branch(rng: random.Random, world: _World, draft: Draft) -> Draft:
    """The same company in another town: same name and text template, another SIRET."""
    code, city = draft.commune_code, draft.city
    while code == draft.commune_code:
        code, city = rng.choices(world.communes, cum_weights=world.commune_weights)[0]
    siren = draft.employer.siret[:9]
    branch = Employer(draft.employer.name, _establishment(rng, siren), code, city)
    paragraphs = tuple(p.replace(draft.city, city) for p in draft.paragraphs)
    return replace(draft, employer=branch, commune_code=code, city=city, paragraphs=paragraphs)


def _other_job(rng: random.Random, world: _World, draft: Draft) -> Draft:
    """Another trade at the same employer, same place, same company boilerplate."""
    trade = rng.choice([t for t in TRADES if t.rome != draft.trade.rome])
    job = _draft(rng, world, trade=trade, employer=draft.employer)
    return replace(job, paragraphs=(draft.paragraphs[0], *job.paragraphs[1:3], draft.paragraphs[3]))


def _other_employer(rng: random.Random, world: _World, draft: Draft) -> Draft:
    """The same template at another employer of the same town (franchises, agencies' texts)."""
    other = rng.choice([e for e in world.employers[draft.trade.sector] if e.name != draft.employer.name])
    other = replace(other, commune_code=draft.commune_code, city=draft.city)
    paragraphs = tuple(p.replace(draft.employer.name.replace("SARL ", "").replace("SAS ", ""),
                                 other.name.replace("SARL ", "").replace("SAS ", "")) for p in draft.paragraphs)
    return replace(draft, employer=other, paragraphs=paragraphs)


def _other_post_same_trade(rng: random.Random, world: _World, draft: Draft) -> Draft:
    """Another post of the same trade at the same employer and place, same contract: other
    missions and profile, other title, the company's intro and conditions unchanged."""
    job = _draft(rng, world, trade=draft.trade, employer=draft.employer)
    title = rng.choice([t for t in draft.trade.titles if t != draft.title] or [draft.title])
    while set(job.paragraphs[1].split("\n")[1:]) == set(draft.paragraphs[1].split("\n")[1:]):
        job = _draft(rng, world, trade=draft.trade, employer=draft.employer)
    return replace(draft, title=title, paragraphs=(draft.paragraphs[0], job.paragraphs[1], job.paragraphs[2],
                                                   draft.paragraphs[3]))


def _other_contract(rng: random.Random, world: _World, draft: Draft) -> Draft:
    """The same trade at the same employer under another contract (a permanent post and a
    seasonal reinforcement): a different offer even when the texts are close."""
    contract = rng.choice([c for c, _ in CONTRACTS if c not in (draft.contract, "LIB")])
    months = rng.choice(DURATIONS[contract]) if contract in DURATIONS else None
    paragraphs = (*draft.paragraphs[:3], draft.paragraphs[3].replace(
        CONTRACT_WORDS[draft.contract].format(months=draft.months), CONTRACT_WORDS[contract].format(months=months)))
    return replace(draft, contract=contract, months=months, paragraphs=paragraphs)


def _other_season(rng: random.Random, world: _World, draft: Draft) -> Draft:
    """The same post opened again months later: a new offer, not a repost. (The pair's first
    offer gets a start date too, see `labelled_duplicates`: without one nothing tells them apart.)"""
    start = (draft.starts_on or BASE_DAY) + timedelta(days=rng.randrange(90, 200))
    return replace(_repost(rng, draft), starts_on=start)


_NEGATIVES: tuple[Callable[[random.Random, _World, Draft], Draft], ...] = (
    _other_branch, _other_job, _other_employer, _other_post_same_trade, _other_contract, _other_season)


def labelled_duplicates(seed: int = 0, pairs_per_kind: int = 40) -> list[tuple[dict, dict, bool]]:
    """(offer on board A, offer on board B, same job?) pairs: `pairs_per_kind` reposts of each
    kind (title, order, edits, combined) and of each distinct look-alike kind — 400 by default."""
    rng = random.Random(f"labelled-{seed}")
    world = _World(seed)
    pairs: list[tuple[dict, dict, bool]] = []
    counter = 0

    def pair(a: Draft, b: Draft, label: bool) -> None:
        nonlocal counter
        pairs.append((render(a, f"a-{counter}"), render(b, f"b-{counter}"), label))
        counter += 1

    for _ in range(pairs_per_kind):
        base = _draft(rng, world)
        pair(base, replace(base, title=_reword_title(rng, base)), True)
        base = _draft(rng, world)
        pair(base, replace(base, paragraphs=tuple(rng.sample(base.paragraphs, len(base.paragraphs)))), True)
        base = _draft(rng, world)
        pair(base, replace(base, paragraphs=_small_edits(rng, base.paragraphs), with_siret=rng.random() < 0.5), True)
        base = _draft(rng, world)
        pair(base, _repost(rng, base), True)
        for negative in _NEGATIVES:
            base = _draft(rng, world)
            if negative is _other_season and base.starts_on is None:
                base = replace(base, starts_on=BASE_DAY + timedelta(days=rng.randrange(0, 120)))
            pair(base, negative(rng, world, base), False)
    rng.shuffle(pairs)
    return pairs


def evaluate(pairs: list[tuple[dict, dict, bool]], same_job: Callable | None = None) -> dict[str, float]:
    """Precision and recall of `same_job` (the domain's by default) on labelled pairs."""
    from services.offers.domain import dedup
    from services.offers.domain.normalise import normalise

    decide = same_job or dedup.same_job
    tp = fp = fn = tn = 0
    for a, b, label in pairs:
        predicted = decide(normalise(a, source="board-a"), normalise(b, source="board-b"))
        tp += predicted and label
        fp += predicted and not label
        fn += (not predicted) and label
        tn += (not predicted) and not label
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "true_positives": tp, "false_positives": fp, "false_negatives": fn, "true_negatives": tn,
    }


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    count = sum(1 for _ in generate_offers(100_000, seed=1))
    elapsed = time.perf_counter() - started
    print(f"generated {count} offers in {elapsed:.2f} s ({elapsed / count * 1e6:.1f} µs per offer)")
    print(evaluate(labelled_duplicates(seed=1)))
