"""Examples of the published contract: Camille, a temp agency and the Nantes mission locale."""
from __future__ import annotations

PERSON_ID = "7aaaa4d7-9506-5369-9a71-ba618968b44f"
PSEUDONYM = "k3v7q2m4x6z7b2n4c6d7f2g4h6j7l2p4r6s7t2v4w6y7z2a4c6d7"
REQUEST_ID = "3f0b7c1e-2a4d-5e6f-8a9b-0c1d2e3f4a5b"
OFFER_ID = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"

PROFILE = {
    "pseudonym": PSEUDONYM, "rome_codes": ["D1102"], "contract_types": ["CDI", "MIS"], "working_time": "any",
    "mobility_km": 30, "available_from": "2026-12-01", "driving_licence": True,
    "languages": [{"code": "fr", "level": "native"}], "skills": ["Pétrissage", "Façonnage"],
    "experiences": [{"job_title": "Boulangère", "rome_code": "D1102", "duration_months": 18}],
    "diplomas": [{"title": "CAP Boulanger", "level": "3", "year": 2019}],
    "commune_code": "44109", "departement_code": "44",
    "sources": {"rome_codes": ["person"], "skills": ["contribution", "person"], "driving_licence": ["registration"]},
}
MATCH = {"criteria": [{"criterion": "rome_codes", "matched": ["D1102"]}, {"criterion": "place", "matched": "44109"}],
         "score": 1.0}
SEARCH_PAGE = {"items": [{**PROFILE, "match": MATCH}],
               "facets": {"rome_codes": [{"value": "D1102", "count": 1}],
                          "departement_code": [{"value": "44", "count": 1}]},
               "next_cursor": None}
STATEMENT = {"rome_codes": ["D1102"], "contract_types": ["CDI", "MIS"], "working_time": "any", "mobility_km": 30,
             "available_from": "2026-12-01", "skills": ["Pétrissage", "Façonnage"],
             "diplomas": [{"title": "CAP Boulanger", "level": "3", "year": 2019}],
             "contact": {"email": "camille.martin@example.org", "phone": "+33 6 12 34 56 78"}}
CONSENT = {"audience": "temp_agencies", "method": "on_site"}
INTEREST_REQUEST = {"pseudonym": PSEUDONYM, "message": "Mission de 3 mois en boulangerie industrielle à Nantes."}
INTRODUCTION = {
    "id": REQUEST_ID, "pseudonym": PSEUDONYM, "person_id": None, "audience": "temp_agencies", "offer_id": None,
    "message": INTEREST_REQUEST["message"], "status": "requested", "reason": None,
    "requested_at": "2026-11-23T09:30:00Z", "expires_at": "2026-11-30T09:30:00Z", "answered_at": None,
    "contact_released_at": None, "outcome": None, "outcome_reason": None,
}
CONTACT = {"first_name": "Camille", "last_name": "Martin", "email": "camille.martin@example.org",
           "phone": "+33 6 12 34 56 78"}
CONTRIBUTIONS = {"lines": [
    {"kind": "mission_completed", "person_id": PERSON_ID,
     "value": {"job_title": "Préparatrice de commandes", "rome_code": "N1103", "duration_months": 2}},
    {"kind": "skill_validated", "person_id": PERSON_ID, "value": "CACES R489 catégorie 1"},
]}
CONTRIBUTION_RESULT = {"batch_id": "8e2f4a6c-1b3d-5e7f-9a1b-2c3d4e5f6a7b", "lines": [
    {"line": 0, "status": "accepted", "reason": "added"}, {"line": 1, "status": "accepted", "reason": "added"}]}
STATS = {"items": [{"audience": "temp_agencies", "departement_code": "44", "requests": 12, "interested": 7,
                    "introductions": 6, "hires": 1, "hire_rate": 0.167}]}
ACCESS_PAGE = {"items": [{"id": 2, "action": "contact_release", "org_id": "interim-ouest", "org_type": "temp_agency",
                          "at": "2026-11-24T10:00:00Z", "reference": REQUEST_ID}], "next_cursor": None}
MANAGED_PROFILE = {
    "person_id": PERSON_ID, "version": 3, "published": True, "audiences": ["temp_agencies"],
    "findable_by_temp_agencies": True, "commune_code": "44109", "departement_code": "44",
    "facts": {"rome_codes": {"value": ["D1102"], "source": "person", "org_id": "ml-nantes-metropole",
                             "at": "2026-11-23T09:30:00Z"}},
    "items": {"skills": [{"value": "Pétrissage", "source": "person", "org_id": "ml-nantes-metropole",
                          "at": "2026-11-23T09:30:00Z"}]},
    "proposals": [],
    "consents": [{"audience": "temp_agencies", "method": "on_site", "org_id": "ml-nantes-metropole",
                  "given_at": "2026-11-23T09:35:00Z", "revoked_at": None}],
    "contact": {"email": "camille.martin@example.org", "phone": "+33 6 12 34 56 78"},
}
