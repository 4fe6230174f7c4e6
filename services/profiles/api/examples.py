"""Examples of the published contract: Camille, a temp agency and the Nantes mission locale. They work
in this order against a fresh `make run`: the mission locale records Camille's statement and her consent
to temp agencies; Intérim Ouest finds her for one of its missions, asks, she says yes, it gets her
contact and records the hire; Intérim Loire reports a mission she did; the consent is withdrawn."""
from __future__ import annotations

from services.core.idempotency import resource_id
from services.profiles.domain.pseudonyms import LOCAL_SECRET, Pseudonyms

TEMP_AGENCY, CONTRIBUTOR = "interim-ouest", "interim-loire"  # client ids; Intérim Ouest's org id is its own
PERSON_ID = resource_id("ft-agence-nantes", "example-registration-camille-martin")  # Camille's registration
# Camille's pseudonym for Intérim Ouest, on a local platform (another secret gives others).
PSEUDONYM = Pseudonyms(LOCAL_SECRET).of("interim-ouest", PERSON_ID)
# The version Camille's profile reaches from the network's events (her registration, its correction and
# her diagnostic) before the mission locale records her statement.
STATED_FROM_VERSION = 3
CONSENT_KEY = "consent-camille-temp-agencies"
INTEREST_KEY = "interest-camille-boulangerie"
ANSWER_KEY = "answer-camille-boulangerie"
CONTACT_KEY = "contact-camille-boulangerie"
OUTCOME_KEY = "outcome-camille-boulangerie"
CONTRIBUTIONS_KEY = "contributions-2026-11-23"
REQUEST_ID = resource_id(TEMP_AGENCY, INTEREST_KEY)
# Intérim Ouest's mission, published through the offers API (POST /v1/offers) under this key.
OFFER_PUBLISH_KEY = "example-publish-mission-boulangerie-industrielle"
OFFER_ID = resource_id(TEMP_AGENCY, OFFER_PUBLISH_KEY)
MISSION = {
    "source_offer_id": "IO-2026-1187", "title": "Boulanger en boulangerie industrielle (H/F)",
    "description": "Intérim Ouest recherche pour son client, une boulangerie industrielle de Nantes, un boulanger "
                   "pour une mission de 3 mois : pétrissage, façonnage et cuisson en ligne de production.",
    "employer": {"siret": "39217456000012", "name": "Boulangerie industrielle de l'Erdre"},
    "place": {"commune_code": "44109"}, "rome_code": "D1102", "contract": {"type": "MIS", "duration_months": 3},
    "working_time": {"type": "full_time", "weekly_hours": 35},
    "salary": {"min": 1900, "max": 2000, "period": "month", "months_per_year": 12}, "positions": 2,
    "url": "https://interim-ouest.example/missions/IO-2026-1187"}

ML_ORG = "ml-nantes-metropole"
REGISTERED_AT, STATED_AT = "2026-11-23T09:30:00+00:00", "2026-11-24T10:20:00+00:00"
CONSENTED_AT, CONTRIBUTED_AT = "2026-11-24T10:25:00+00:00", "2026-11-24T16:00:00+00:00"
BATCH_ID = resource_id(CONTRIBUTOR, CONTRIBUTIONS_KEY)


def _fact(value, source: str, org_id: str | None, at: str, reference: str | None = None) -> dict:
    return {"value": value, "provenance": {"source": source, "org_id": org_id, "at": at, "reference": reference}}


STATEMENT = {"rome_codes": ["D1102"], "contract_types": ["CDI", "MIS"], "working_time": "any", "mobility_km": 30,
             "available_from": "2026-12-01", "skills": ["Pétrissage", "Façonnage"],
             "diplomas": [{"title": "CAP Boulanger", "level": "3", "year": 2019}],
             "contact": {"email": "camille.martin@example.org", "phone": "+33 6 12 34 56 78"}}
CONSENT = {"audience": "temp_agencies", "method": "on_site"}
CONTRIBUTIONS = {"lines": [
    {"kind": "mission_completed", "person_id": PERSON_ID,
     "value": {"job_title": "Préparatrice de commandes", "rome_code": "N1103", "duration_months": 2}},
    {"kind": "skill_validated", "person_id": PERSON_ID, "value": "CACES R489 catégorie 1"},
]}
CONTRIBUTION_RESULT = {"batch_id": BATCH_ID, "lines": [
    {"line": 0, "status": "accepted", "reason": "added"}, {"line": 1, "status": "accepted", "reason": "added"}]}

# The profile as the mission locale manages it: after her statement, her consent, Intérim Loire's report.
STATED_PROFILE = {
    "person_id": PERSON_ID, "version": STATED_FROM_VERSION + 1, "published": False, "audiences": [],
    "findable_by_temp_agencies": False, "commune_code": "44109", "departement_code": "44",
    "facts": {
        "driving_licence": _fact(False, "registration", None, REGISTERED_AT, "01a24e4d-7389-755a-8789-7db570ca8cc0"),
        "languages": _fact([{"code": "fr", "level": "native"}], "registration", None, REGISTERED_AT,
                           "01a24e4d-7389-755a-8789-7db570ca8cc0"),
        "diagnostic": _fact({"completed_at": "2026-11-24T09:50:00+00:00", "fields_filled": [
            "skills", "professional_project", "labour_market", "overall_situation", "digital_and_basic_skills",
            "rights_and_duties"]}, "diagnostic", ML_ORG, "2026-11-24T09:50:00+00:00", "01a24e4d-7e8c-7f0d-b7a2-f9f8c28f2cce"),
        **{name: _fact(STATEMENT[name], "person", ML_ORG, STATED_AT)
           for name in ("rome_codes", "contract_types", "working_time", "mobility_km", "available_from")}},
    "items": {"skills": [_fact(skill, "person", ML_ORG, STATED_AT) for skill in STATEMENT["skills"]],
              "diplomas": [_fact(diploma, "person", ML_ORG, STATED_AT) for diploma in STATEMENT["diplomas"]]},
    "proposals": [], "consents": [], "contact": STATEMENT["contact"],
}
CONSENT_GIVEN = {"audience": "temp_agencies", "method": "on_site", "collected_by": ML_ORG, "granted_at": CONSENTED_AT,
                 "revoked_at": None, "revoked_by": None}
CONSENTED_PROFILE = {**STATED_PROFILE, "version": STATED_FROM_VERSION + 2, "published": True,
                     "audiences": ["temp_agencies"], "findable_by_temp_agencies": True, "consents": [CONSENT_GIVEN]}
MISSION_DONE = _fact(CONTRIBUTIONS["lines"][0]["value"], "contribution", CONTRIBUTOR, CONTRIBUTED_AT, BATCH_ID)
SKILL_VALIDATED = _fact(CONTRIBUTIONS["lines"][1]["value"], "contribution", CONTRIBUTOR, CONTRIBUTED_AT, BATCH_ID)
MANAGED_PROFILE = {**CONSENTED_PROFILE, "version": STATED_FROM_VERSION + 4, "items": {
    **STATED_PROFILE["items"], "skills": [*STATED_PROFILE["items"]["skills"], SKILL_VALIDATED],
    "experiences": [MISSION_DONE]}}
WITHDRAWN_PROFILE = {**MANAGED_PROFILE, "version": STATED_FROM_VERSION + 5, "published": False, "audiences": [],
                     "findable_by_temp_agencies": False, "consents": [
                         {**CONSENT_GIVEN, "revoked_at": "2026-12-15T09:00:00+00:00", "revoked_by": ML_ORG}]}

# The profile as Intérim Ouest sees it: pseudonymous, each fact with where it comes from.
PROFILE = {
    "pseudonym": PSEUDONYM, "rome_codes": ["D1102"], "contract_types": ["CDI", "MIS"], "working_time": "any",
    "mobility_km": 30, "available_from": "2026-12-01", "driving_licence": False,
    "languages": [{"code": "fr", "level": "native"}], "skills": ["Pétrissage", "Façonnage", "CACES R489 catégorie 1"],
    "experiences": [CONTRIBUTIONS["lines"][0]["value"]],
    "diplomas": [{"title": "CAP Boulanger", "level": "3", "year": 2019}],
    "commune_code": "44109", "departement_code": "44",
    "sources": {**{name: ["person"] for name in ("rome_codes", "contract_types", "working_time", "mobility_km",
                                                 "available_from", "diplomas")},
                "driving_licence": ["registration"], "languages": ["registration"],
                "skills": ["contribution", "person"], "experiences": ["contribution"]},
}
MATCH = {"criteria": [{"criterion": "rome_codes", "matched": ["D1102"]}], "score": 1.0}
OFFER_MATCH = {"criteria": [{"criterion": name, "matched": True} for name in (
    "rome_codes", "contract_types", "working_time", "mobility_km", "available_from")], "score": 1.0}
SEARCH_PAGE = {"items": [{**PROFILE, "match": MATCH}], "facets": {
    "rome_codes": [{"value": "D1102", "count": 1}],
    "skills": [{"value": "caces r489 categorie 1", "count": 1}, {"value": "faconnage", "count": 1},
               {"value": "petrissage", "count": 1}],
    "contract_types": [{"value": "CDI", "count": 1}, {"value": "MIS", "count": 1}],
    "languages": [{"value": "fr", "count": 1}], "departement_code": [{"value": "44", "count": 1}],
    "working_time": [{"value": "any", "count": 1}], "driving_licence": [{"value": False, "count": 1}]},
    "next_cursor": None}

INTEREST_REQUEST = {"pseudonym": PSEUDONYM, "offer_id": OFFER_ID,
                    "message": "Mission de 3 mois en boulangerie industrielle à Nantes."}
# An introduction as Intérim Ouest follows it (pseudonym), then as the mission locale sees it (person id).
INTRODUCTION = {
    "id": REQUEST_ID, "pseudonym": PSEUDONYM, "person_id": None, "audience": "temp_agencies", "offer_id": OFFER_ID,
    "message": INTEREST_REQUEST["message"], "status": "requested", "reason": None,
    "requested_at": "2026-11-24T16:30:00Z", "expires_at": "2026-12-01T16:30:00Z", "answered_at": None,
    "contact_released_at": None, "outcome": None, "outcome_reason": None,
}
REQUESTED_FOR_REFERENT = {**INTRODUCTION, "pseudonym": None, "person_id": PERSON_ID}
ANSWERED = {**REQUESTED_FOR_REFERENT, "status": "interested", "answered_at": "2026-11-25T09:10:00Z"}
HIRED = {**INTRODUCTION, "status": "interested", "answered_at": ANSWERED["answered_at"],
         "contact_released_at": "2026-11-25T09:30:00Z", "outcome": "hired"}
CONTACT = {"first_name": "Camille", "last_name": "Martin", "email": "camille.martin@example.org",
           "phone": "+33 6 12 34 56 78"}
STATS = {"items": [{"audience": "temp_agencies", "departement_code": "44", "requests": 12, "interested": 7,
                    "introductions": 6, "hires": 1, "hire_rate": 0.167}]}
ACCESS_PAGE = {"items": [
    {"id": 2, "action": "contact_release", "org_id": "interim-ouest", "org_type": "temp_agency",
     "at": HIRED["contact_released_at"], "reference": REQUEST_ID},
    {"id": 1, "action": "detail_view", "org_id": "interim-ouest", "org_type": "temp_agency",
     "at": "2026-11-24T16:25:00Z", "reference": None}], "next_cursor": None}

# Camille's own door (/v1/me/profile): she reads her profile; Intérim Ouest asks her again, for its mission,
# and she answers herself; once the mission locale withdrew her consent, she confirms it withdrawn.
MY_CONSENT_IN = {"granted": False}
MY_WITHDRAWN_PROFILE = {**WITHDRAWN_PROFILE, "consents": [
    {**CONSENT_GIVEN, "revoked_at": "2026-12-15T09:00:00+00:00", "revoked_by": ML_ORG}]}
MY_INTEREST_KEY = "interest-camille-mission-again"
MY_REQUEST_ID = resource_id(TEMP_AGENCY, MY_INTEREST_KEY)
MY_INTEREST_IN = {"pseudonym": PSEUDONYM, "offer_id": OFFER_ID,
                  "message": "Une deuxième mission de 3 mois dans la même boulangerie, à partir de janvier."}
REQUESTER = {"org_id": TEMP_AGENCY, "org_type": "temp_agency"}
MY_INTEREST = {**REQUESTED_FOR_REFERENT, "id": MY_REQUEST_ID, "message": MY_INTEREST_IN["message"],
               "requested_at": "2026-12-08T10:00:00Z", "expires_at": "2026-12-15T10:00:00Z", "requester": REQUESTER}
MY_INTERESTS = {"items": [MY_INTEREST, {**HIRED, "pseudonym": None, "person_id": PERSON_ID, "requester": REQUESTER}]}
MY_ANSWERED = {**MY_INTEREST, "status": "interested", "answered_at": "2026-12-08T18:30:00Z"}
MY_ANSWER_KEY = "my-answer-camille-mission-again"
