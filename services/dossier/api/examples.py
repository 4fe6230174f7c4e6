"""Examples published in the contract: Camille Martin (the registration API's example person),
oriented to the mission locale of Nantes, which writes her diagnostic and contract. They work in this
order against a fresh `make run` once the orientation API's examples have run: diagnostic and contract
written (sections at version 0), the contract signed (version 1), a review recorded, then the reads."""
from services.core.http import encode_cursor
from services.core.idempotency import resource_id
from services.core.referentials.obligations import obligations
from services.dossier.domain.journal import WITHHELD_UNTIL_CLOSED_NOTE
from services.dossier.domain.obligations import signed_obligations

ML_CLIENT = "mission-locale-nantes"
PERSON_ID = resource_id("ft-agence-nantes", "example-registration-camille-martin")
REVIEW_IDEMPOTENCY_KEY = "example-review-camille-2026-11"
REVIEW_ID = resource_id(ML_CLIENT, REVIEW_IDEMPOTENCY_KEY)
SIGNATURE_IDEMPOTENCY_KEY = "example-signature-camille"
ML = {"org_id": "ml-nantes-metropole", "org_type": "mission_locale"}

DIAGNOSTIC_PATCH = {
    "skills": {"summary": "18 months as a nursery assistant; CAP Petite enfance.", "rome_codes": ["K1303"]},
    "professional_project": {"maturity": "defined", "jobs_sought": [{"rome_code": "K1303", "label": "Assistante maternelle"}],
                             "mobility": {"max_distance_km": 20, "driving_licence": False}, "training_need": True},
    "labour_market": {"summary": "Strong demand in Nantes; approval (agrément) needed.", "gaps": ["Agrément PMI"]},
    "overall_situation": {"housing": "Stable, social housing.", "family": "Single parent, one child.",
                          "job_search_autonomy": "needs_support"},
    "digital_and_basic_skills": {"digital_autonomy": "autonomous", "basic_skills": "acquired"},
    "rights_and_duties": {"presented": True, "presented_on": "2026-11-23"},
}
DIAGNOSTIC = {**DIAGNOSTIC_PATCH, "completed_at": "2026-11-23T10:15:00+00:00"}

CONTRACT_PATCH = {
    "objectives": ["Obtain the PMI approval within 6 months"],
    "actions": [
        {"label": "File the PMI approval application", "owner": "person", "due_date": "2026-12-15", "status": "planned"},
        {"label": "Fund the approval training", "owner": "referent", "due_date": "2027-01-15", "status": "planned"},
    ],
    "obligations": ["Attend the monthly interviews"],
    "next_appointment": {"at": "2026-12-21T09:30:00Z", "channel": "on_site"},
    "weekly_activity_hours": 15,
}
SIGNATURE = {"signed_at": "2026-11-23T10:40:00+00:00", "channel": "on_site", "version": 2, "recorded_by": ML}
CONTRACT = {**CONTRACT_PATCH, "signature": SIGNATURE, "jeunes_mention": True}

# A review is recorded once held: the example's took place before any run of it.
REVIEW_CREATE = {"held_at": "2026-11-30T14:00:00Z", "channel": "on_site", "outcome": "on_track",
                 "summary": "Approval application started; training found for January."}
REVIEW = {"review_id": REVIEW_ID, **REVIEW_CREATE, "held_at": "2026-11-30T14:00:00+00:00", "recorded_by": ML,
          "recorded_at": "2026-11-30T15:02:00+00:00"}

DECISION = {"kind": "made", "decision_id": "d3b07384-d9a0-5c1b-8f7e-1a2b3c4d5e6f", "status": "decided",
            "decided_by": "departement", "pathway": "professional",
            "referent": {"org_type": "mission_locale", "org_id": "ml-nantes-metropole"}, "intensity": "intensive",
            "departement_code": "44", "rsa_recipient": True, "referential": {"territory": "44", "version": 1, "national_version": 1},
            "rule": "Validated by the département (departement-44) as proposed. Pathway professional: no major "
                    "barrier and no basic skills, language or digital barrier. …", "rule_ids": ["departement-decision"],
            "decided_at": "2026-11-20T09:00:00Z", "registered_at": "2026-11-20T08:55:00Z", "decision_due_at": None,
            "recorded_by": "departement-44", "previous_decision_id": "9f4c1a7e-3b2d-5c6e-8a1f-0d2e4b6c8a13"}

# Camille's first decision: the proposal, with the département's deadline, before its validation.
PROPOSAL = {**DECISION, "decision_id": DECISION["previous_decision_id"], "status": "proposed", "decided_by": None,
            "rule": "Proposal to the département: Pathway professional: no major barrier and no basic skills, "
                    "language or digital barrier. …", "rule_ids": ["professional", "preference", "intensive-rsa"],
            "decided_at": "2026-11-20T08:56:00Z", "decision_due_at": "2026-12-20T08:55:00Z", "recorded_by": None,
            "previous_decision_id": None}

SECTIONS = {
    "identity": {"last_name": "Martin", "usage_name": None, "first_names": ["Camille", "Anne"],
                 "birth_date": "2001-03-14", "commune_code": "44109", "departement_code": "44", "rsa_recipient": True,
                 "rqth": False, "barriers": {"mobility": True, "family": True, "health": False, "housing": False,
                                             "basic_skills": False, "language": False, "finances": False,
                                             "administrative_judicial": False, "digital": False},
                 "executive_experience": False, "registration_status": "registered",
                 "registered_at": "2026-11-20T08:55:00+00:00", "under_26": True},
    "rsa_status": {"rsa_recipient": True, "departement_code": "44", "orientation_status": "decided",
                   "pathway": "professional", "contract_signed_at": SIGNATURE["signed_at"]},
    "orientation": {"current": DECISION, "history": [PROPOSAL, DECISION]},
    "appointments": {"items": [{"appointment_id": resource_id(ML_CLIENT, "example-appointment-camille"),
                                "slot_id": resource_id(ML_CLIENT, "example-slot-mission-locale-nantes"),
                                "org_id": "ml-nantes-metropole", "starts_at": "2031-03-03T09:30:00Z",
                                "duration_minutes": 45, "channel": "on_site",
                                "location": "Mission locale Nantes Métropole, 4 rue Bisson, 44100 Nantes",
                                "delay_days": 1560, "within_target": False, "status": "booked"}]},
    "diagnostic": DIAGNOSTIC,
    "contract": CONTRACT,
    "reviews": {"items": [REVIEW], "next_review_due": "2027-11-18", "review_overdue": False},
    "corrections": {"items": []},
    "failed_reminders": {"items": []},
}
DOSSIER = {"person_id": PERSON_ID, **SECTIONS, "etags": {name: '"2"' for name in SECTIONS}}
CAF_DOSSIER = {"person_id": PERSON_ID, "rsa_status": SECTIONS["rsa_status"], "etags": {"rsa_status": '"5"'}}

BY = {"client_id": "mission-locale-nantes", **ML}
HISTORY_PAGE = {"items": [
    {"id": 4, "section": "reviews", "action": "recorded", "version": 1, "at": REVIEW["recorded_at"],
     "changes": REVIEW, "by": BY},
    {"id": 3, "section": "contract", "action": "signed", "version": 2, "at": SIGNATURE["signed_at"],
     "changes": {"channel": "on_site"}, "by": BY},
    {"id": 2, "section": "contract", "action": "patched", "version": 1, "at": "2026-11-23T10:30:00+00:00",
     "changes": CONTRACT_PATCH, "by": BY},
    {"id": 1, "section": "diagnostic", "action": "patched", "version": 1, "at": DIAGNOSTIC["completed_at"],
     "changes": DIAGNOSTIC_PATCH, "by": BY},
], "next_cursor": None}
# The two newest accesses (the example asks for a page of two): every service tells its own, so there
# are more, and the page says where the next one starts.
ACCESS_LOG_PAGE = {"items": [
    {"id": 7, "access": "read", "sections": ["rsa_status"], "purpose": "rsa_entitlement",
     "at": "2026-11-24T08:00:00+00:00", "by": {"client_id": "caf-44", "org_id": "caf-44", "org_type": "caf"},
     "service": "dossier", "reason": None},
    {"id": 6, "access": "write", "sections": ["contract"], "purpose": None, "at": SIGNATURE["signed_at"], "by": BY,
     "service": "dossier", "reason": None},
], "next_cursor": encode_cursor([6])}

# -- the person's own door (/v1/me) -----------------------------------------------------------------
# Camille's own token: its client is the person, so her request's id derives from it and the key.
PERSON_CLIENT = f"person:{PERSON_ID}"
CORRECTION_IDEMPOTENCY_KEY = "example-correction-camille-diagnostic"
CORRECTION_ID = resource_id(PERSON_CLIENT, CORRECTION_IDEMPOTENCY_KEY)
CORRECTION_CREATE = {"section": "diagnostic", "field": "professional_project.mobility",
                     "message": "J'ai obtenu mon permis B en octobre : je peux me déplacer à 40 km."}
CORRECTION = {"correction_id": CORRECTION_ID, **CORRECTION_CREATE, "status": "open",
              "asked_at": "2026-12-01T18:20:00+00:00", "answer": None, "answered_at": None, "answered_by": None}
CORRECTION_ANSWER_IDEMPOTENCY_KEY = "example-correction-answer-camille"
CORRECTION_ANSWER = {"outcome": "accepted",
                     "answer": "C'est noté : votre diagnostic indique désormais le permis B et 40 km de mobilité."}
ANSWERED_CORRECTION = {**CORRECTION, "status": "accepted", "answer": CORRECTION_ANSWER["answer"],
                       "answered_at": "2026-12-02T09:05:00+00:00", "answered_by": ML}
CORRECTION_PAGE = {"items": [ANSWERED_CORRECTION], "next_cursor": None}
# Camille's own view spells out the obligations in force: the common base, her pathway's, those agreed.
OWN_OBLIGATIONS = [{**item, "label": obligations().get(item["code"]).label} for item in signed_obligations(
    CONTRACT_PATCH, DECISION["pathway"], "rsa")["items"]]
OWN_DOSSIER = {**DOSSIER, "contract": {**CONTRACT, "obligations_in_force": OWN_OBLIGATIONS},
               "corrections": {"items": [ANSWERED_CORRECTION]}}
# Her newest access, a page of one: the mission locale's answer to her request, a write of her data.
OWN_ACCESS_LOG_PAGE = {"items": [
    {"id": 31, "access": "write", "sections": ["corrections"], "purpose": None, "at": ANSWERED_CORRECTION["answered_at"],
     "by": BY, "service": "dossier", "reason": None, "procedure_closed_at": None}],
    "next_cursor": "WzMxXQ", "withheld_until_closed_note": WITHHELD_UNTIL_CLOSED_NOTE}
