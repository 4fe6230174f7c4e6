"""Examples published in the contract: a Nantes bakery hires a baker, once for all boards. They work
in this order against a fresh `make run`: the bakery publishes the baker's offer and imports a file,
Emploi Ouest's copy of the same job joins it, the agency saves a search for Camille, the bakery fills
the baker's post and withdraws its sales assistant's offer (published under its own key).

Feed examples (JobPosting JSON-LD, Offres d'emploi v2) are the domain's shipped ones when present
under referentials/examples/, so the contract shows what the mappers are tested on.
"""
from __future__ import annotations

import json
from pathlib import Path

from services.core.codes import checked_against
from services.core.idempotency import resource_id

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "referentials" / "examples"
BAKERY, AGENCY = "boulangerie-nantaise", "ft-agence-nantes"
PUBLISH_KEY = "example-publish-boulanger"
IMPORT_KEY = "example-import-boulangerie"
SUBSCRIBE_KEY = "example-subscription-camille"
FILL_KEY = "example-fill-boulanger"
WITHDRAW_KEY = "example-withdraw-vendeur"
# The sales assistant's offer, withdrawn in the example (the baker's is filled).
WITHDRAWN_PUBLISH_KEY = "example-publish-vendeur"
OFFER_ID = resource_id(BAKERY, PUBLISH_KEY)
WITHDRAWN_OFFER_ID = resource_id(BAKERY, WITHDRAWN_PUBLISH_KEY)
IMPORT_ID = resource_id(BAKERY, IMPORT_KEY)
SUBSCRIPTION_ID = resource_id(AGENCY, SUBSCRIBE_KEY)
PERSON_ID = resource_id(AGENCY, "example-registration-camille-martin")  # Camille's registration
SIRET = "44781234800012"


def _shipped(pattern: str, default: dict) -> dict:
    for path in sorted(EXAMPLES_DIR.glob(pattern)):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(document, dict):
            return document
    return default


NATIVE = {
    "source_offer_id": "BN-2026-0042",
    "title": "Boulanger / Boulangère (H/F)",
    "description": "La Boulangerie Nantaise recherche un boulanger pour la fabrication du pain et des viennoiseries "
                   "au fournil. Travail en équipe, du mardi au samedi. Débutant accepté, formation assurée.",
    "employer": {"siret": SIRET, "name": "Boulangerie Nantaise"},
    "place": {"commune_code": "44109"},
    "rome_code": "D1102",
    "contract": {"type": "CDI"},
    "working_time": {"type": "full_time", "weekly_hours": 35},
    "salary": {"min": 1900, "max": 2200, "period": "month", "months_per_year": 12},
    "accessible_to_disabled": True,
    "positions": 1,
    "starts_on": "2027-01-04",
    "url": "https://boulangerie-nantaise.example/emplois/BN-2026-0042",
}
VENDEUR = {**NATIVE, "source_offer_id": "BN-2026-0043", "title": "Vendeur / Vendeuse en boulangerie (H/F)",
           "description": "La Boulangerie Nantaise recherche un vendeur pour l'accueil des clients, la vente et la "
                          "mise en rayon du pain et des viennoiseries. Du mardi au samedi. Débutant accepté.",
           "rome_code": "D1106", "salary": {"min": 1850, "max": 1950, "period": "month", "months_per_year": 12},
           "url": "https://boulangerie-nantaise.example/emplois/BN-2026-0043"}
JOB_POSTING = _shipped("*posting*.json", {
    "@context": "https://schema.org/", "@type": "JobPosting", "identifier": {"@type": "PropertyValue",
                                                                             "value": "EO-778812"},
    "title": "Boulanger H/F", "description": "<p>Fabrication du pain et des viennoiseries au fournil.</p>"
                                             "<p>Travail en équipe, du mardi au samedi.</p>",
    "datePosted": "2026-11-20", "validThrough": "2027-01-31T23:59:59+01:00", "employmentType": "FULL_TIME",
    "hiringOrganization": {"@type": "Organization", "name": "Boulangerie Nantaise", "identifier": SIRET},
    "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "postalCode": "44000",
                                                  "addressLocality": "Nantes", "addressCountry": "FR"}},
    "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": {
        "@type": "QuantitativeValue", "minValue": 1900, "maxValue": 2200, "unitText": "MONTH"}},
    "url": "https://emploi-ouest.example/offres/EO-778812",
})
FT_V2 = _shipped("*v2*.json", {
    "id": "184QWXZ", "intitule": "Boulanger / Boulangère", "description": "Fabrication du pain et des viennoiseries.",
    "romeCode": "D1102", "typeContrat": "CDI", "dureeTravailLibelleConverti": "Temps plein",
    "lieuTravail": {"libelle": "44 - NANTES", "commune": "44109"},
    "entreprise": {"nom": "Boulangerie Nantaise", "siret": SIRET},
    "salaire": {"libelle": "Mensuel de 1900.00 Euros à 2200.00 Euros sur 12 mois"},
    "accessibleTH": True, "nombrePostes": 1, "dateCreation": "2026-11-20T09:00:00.000Z",
})

PLACE = {"commune_code": "44109", "commune_name": "Nantes", "departement_code": "44", "region_code": "52"}
SUMMARY = {
    "id": OFFER_ID, "status": "published", "title": NATIVE["title"],
    "employer": {"siret": SIRET, "name": "Boulangerie Nantaise"}, "place": PLACE,
    "rome": {"code": "D1102", "label": "Boulangerie - viennoiserie", "confidence": 1.0, "method": "given"},
    "contract_type": "CDI", "contract_duration_months": None, "working_time": "full_time", "weekly_hours": 35.0,
    "salary": {"min_yearly_eur": 22800, "max_yearly_eur": 26400, "label": None}, "accessible_to_disabled": True,
    "positions": 1, "published_at": "2026-11-23T09:00:00Z", "ends_on": None, "distance_km": None,
}
WARNING = {"rule_id": "missing-salary-detail", "severity": "warning", "field": "description",
           "excerpt": "Débutant accepté", "explanation": "Exemple de constat non bloquant : l'offre est publiée avec.",
           "legal_basis": "Code du travail, art. L5331-2"}
OFFER = {**SUMMARY, "version": 1, "description": NATIVE["description"], "starts_on": NATIVE["starts_on"],
         "url": NATIVE["url"], "owner_org_id": "employer-44781234800012", "sources": 2, "findings": [],
         "received_at": "2026-11-23T09:00:00Z", "updated_at": "2026-11-23T09:00:00Z", "closed_at": None}
INGESTED = {**OFFER, "sources": 1, "outcome": "created"}
MERGED = {**OFFER, "outcome": "merged"}
FILLED = {**OFFER, "status": "filled", "version": 2, "closed_at": "2026-12-02T16:00:00Z",
          "updated_at": "2026-12-02T16:00:00Z"}
WITHDRAW = {"reason": "Poste pourvu en interne."}
WITHDRAWN = {**FILLED, "id": WITHDRAWN_OFFER_ID, "status": "withdrawn", "title": VENDEUR["title"],
             "description": VENDEUR["description"], "url": VENDEUR["url"], "sources": 1,
             "rome": {"code": "D1106", "label": "Vente en alimentation", "confidence": 1.0, "method": "given"},
             "salary": {"min_yearly_eur": 22200, "max_yearly_eur": 23400, "label": None}}
DISTRIBUTION = {"offer_id": OFFER_ID, "status": "published", "sources": [
    {"source": "employer-44781234800012", "source_offer_id": "BN-2026-0042",
     "publisher_org_id": "employer-44781234800012", "url": NATIVE["url"], "primary": True, "similarity": None,
     "received_at": "2026-11-23T09:00:00Z", "updated_at": "2026-11-23T09:00:00Z"},
    {"source": "emploi-ouest", "source_offer_id": "EO-778812", "publisher_org_id": "emploi-ouest",
     "url": "https://emploi-ouest.example/offres/EO-778812", "primary": False, "similarity": 0.91,
     "received_at": "2026-11-23T10:30:00Z", "updated_at": "2026-11-23T10:30:00Z"}]}
ATTRACTIVENESS = {"offer_id": OFFER_ID, "rome_code": "D1102", "departement_code": "44", "peers": 41, "dimensions": {
    "salary": {"value": 24600.0, "percentile": 72.0, "peer_count": 35, "median": 23400.0},
    "contract_duration_months": {"value": None, "percentile": 81.7, "peer_count": 41, "median": 12.0},
    "weekly_hours": {"value": 35.0, "percentile": 62.2, "peer_count": 41, "median": 35.0}}}
SEARCH_PAGE = {"items": [SUMMARY], "next_cursor": None, "total": 1, "facets": {
    "contract_type": [{"value": "CDI", "count": 1, "label": None}],
    "departement_code": [{"value": "44", "count": 1, "label": None}],
    "rome_code": [{"value": "D1102", "count": 1, "label": "Boulangerie - viennoiserie"}]}}
SEARCH_DESCRIPTION = """Words are folded as in the index (accents, case, plurals: "boulangères" finds
"Boulanger"); every word must match. Filters combine (AND). `commune_code` alone is that commune;
with `radius_km`, the offers within that distance of it, and `sort=distance` becomes possible.
Facets count every matching offer (not just the page). Only published offers are searched, unless
`status` asks otherwise; quarantined offers are only ever the caller's own."""

INGEST_DESCRIPTION = """Publish one offer, once for all boards and counsellors. The body is JSON in one
of three formats, chosen with `format` (default `native`): `native` (the platform's shape),
`job-posting` (a schema.org JobPosting, as published for search engines; also implied by
`Content-Type: application/ld+json`) or `ft-v2` (one offer of France Travail's "Offres d'emploi v2"
API). The offer is normalised (ROME code, commune, yearly salary), checked for legality (a blocking
finding quarantines it: 201 with status `quarantined` and its findings) and deduplicated: if the same
job is already published elsewhere, your copy becomes one more source of it (200, outcome
`merged`). Sending the same `source_offer_id` again updates your copy (200, outcome `updated`).
An employer publishes for its own SIRET only; a job board under its own source only."""
INGEST_BODY = {"required": True, "content": {
    "application/json": {"schema": {"anyOf": [
        {"$ref": "#/components/schemas/NativeOffer"},
        {"type": "object", "title": "FeedOffer", "description": "With format=job-posting or format=ft-v2: "
                                                                "the document as the feed publishes it.",
         **checked_against("the feed's own format (schema.org JobPosting, or Offres d'emploi v2), field by field")}]},
        "examples": {
            "native": {"summary": "The platform's native shape", "value": NATIVE},
            "ft_v2": {"summary": "An Offres d'emploi v2 offer (with ?format=ft-v2)", "value": FT_V2},
        }},
    "application/ld+json": {"schema": {"type": "object", "title": "JobPosting",
                                       "description": "A schema.org JobPosting in JSON-LD.",
                                       **checked_against("schema.org's JobPosting, field by field")},
                            "examples": {"job_posting": {"summary": "A schema.org JobPosting", "value": JOB_POSTING}}},
}}

IMPORT_DESCRIPTION = """Bulk deposit: thousands of offers in one file, processed in the background.
`Content-Type: application/x-ndjson` (one JSON offer per line, in the `format` given: `native`,
`job-posting` or `ft-v2`) or `text/csv` (native fields flattened, with a header line: `title`,
`description`, `employer_name` required; `employer_siret`, `commune_code`, `rome_code`,
`contract_type`, `contract_duration_months`, `working_time`, `weekly_hours`, `salary_min`,
`salary_max`, `salary_period`, `salary_months_per_year`, `salary_label`, `accessible_to_disabled`,
`positions`, `starts_on`, `ends_on`, `posted_on`, `url`, `source_offer_id` optional). Up to 256 MiB.
Answers 202 with the job; follow `Location` for progress and line errors. A bad record is reported
with its line and never stops the file; a file that cannot be read at all is refused at once (422)."""
PATISSIER = {**NATIVE, "source_offer_id": "BN-2026-0044", "title": "Pâtissier / Pâtissière (H/F)",
             "description": "La Boulangerie Nantaise recherche un pâtissier pour la fabrication des entremets, tartes "
                            "et gâteaux de voyage au laboratoire. Du mardi au samedi. CAP Pâtissier souhaité.",
             "rome_code": "D1104", "url": "https://boulangerie-nantaise.example/emplois/BN-2026-0044"}
# The file: the baker's offer again (unchanged), the pastry cook's (created), and one with a mistyped
# commune code, which is reported with its line and does not stop the file.
IMPORT_NDJSON = "\n".join(json.dumps(line, ensure_ascii=False) for line in (
    NATIVE, PATISSIER, {**PATISSIER, "source_offer_id": "BN-2026-0045", "place": {"commune_code": "44999"}})) + "\n"
# Emploi Ouest's copy of the baker's offer: the same job, which joins it as a second source.
BOARD_COPY = {**NATIVE, "source_offer_id": "EO-778812", "url": "https://emploi-ouest.example/offres/EO-778812"}
IMPORT_CSV = ("source_offer_id,title,description,employer_siret,employer_name,commune_code,contract_type,"
              "salary_min,salary_max,salary_period\nBN-2026-0044,Boulanger (H/F),Fabrication du pain au fournil.,"
              f"{SIRET},Boulangerie Nantaise,44109,CDI,1900,2200,month\n")
# Each record is checked later, line by line; the file as a whole only has to be readable.
READABLE_FILE = "its syntax: NDJSON (a JSON object per line) or CSV with a header line"
IMPORT_BODY = {"required": True, "content": {
    "application/x-ndjson": {"schema": {"type": "string", **checked_against(READABLE_FILE)}, "example": IMPORT_NDJSON},
    "text/csv": {"schema": {"type": "string", **checked_against(READABLE_FILE)}, "example": IMPORT_CSV},
}}
IMPORT = {"id": IMPORT_ID, "status": "completed", "media_type": "ndjson", "format": "native", "lines_total": 3,
          "lines_done": 3, "created": 1, "updated": 0, "merged": 0, "quarantined": 0, "unchanged": 1, "rejected": 1,
          "created_at": "2026-11-23T09:00:00Z", "started_at": "2026-11-23T09:00:01Z",
          "finished_at": "2026-11-23T09:00:02Z", "errors": [{"line": 3, "errors": [
              {"field": "place.commune_code", "message": "unknown INSEE commune code 44999"}]}],
          "next_errors_cursor": None}
IMPORT_QUEUED = {**IMPORT, "status": "queued", "lines_done": 0, "created": 0, "unchanged": 0, "rejected": 0,
                 "started_at": None, "finished_at": None, "errors": []}

CRITERIA = {"rome_codes": ["D1102", "D1106"], "contract_types": ["CDI", "CDD"], "commune_code": "44109",
            "radius_km": 20}
SUBSCRIPTION_IN = {"person_id": PERSON_ID, "criteria": CRITERIA}
SUBSCRIPTION = {"id": SUBSCRIPTION_ID, "person_id": PERSON_ID, "org_id": "ft-agence-44-nantes-est",
                "created_by": "ft-agence-nantes", "criteria": CRITERIA, "created_at": "2026-11-23T09:00:00Z"}
SUBSCRIPTION_PAGE = {"items": [SUBSCRIPTION], "next_cursor": None}

# Camille's own door: the search the agency saved for her. It was saved after the bakery's offers were
# published, so it has sent her none yet (each new match is listed under `matches`, newest first).
MY_SAVED_SEARCHES = {"items": [{
    "id": SUBSCRIPTION_ID, "criteria": CRITERIA, "saved_by": {"org_id": "ft-agence-44-nantes-est",
                                                              "org_type": "france_travail"},
    "created_at": SUBSCRIPTION["created_at"], "matches_total": 0, "matches": []}]}
