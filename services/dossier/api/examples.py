"""Examples published in the contract: Camille Martin (the registration API's example person),
oriented to the mission locale of Nantes, which writes her diagnostic and contract."""

PERSON_ID = "7aaaa4d7-9506-5369-9a71-ba618968b44f"
REVIEW_ID = "0b8f7a1e-2c7d-5a55-9a3b-6d0c2f4e8a11"
REVIEW_IDEMPOTENCY_KEY = "example-review-camille-2027-05"
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

REVIEW_CREATE = {"held_at": "2027-05-18T14:00:00Z", "channel": "on_site", "outcome": "on_track",
                 "summary": "Approval filed; training starts in June."}
REVIEW = {"review_id": REVIEW_ID, **REVIEW_CREATE, "held_at": "2027-05-18T14:00:00+00:00", "recorded_by": ML,
          "recorded_at": "2027-05-18T15:02:00+00:00"}

DECISION = {"kind": "made", "decision_id": "d3b07384-d9a0-5c1b-8f7e-1a2b3c4d5e6f", "status": "decided",
            "decided_by": "rules", "pathway": "socio_professional",
            "referent": {"org_type": "mission_locale", "org_id": "ml-nantes-metropole"}, "intensity": "intensive",
            "departement_code": "44", "rsa_recipient": True, "referential": {"territory": "44", "version": 1, "national_version": 1},
            "rule": "Young RSA recipient: mission locale", "rule_ids": ["young-rsa"],
            "decided_at": "2026-11-20T09:00:00Z", "registered_at": "2026-11-20T08:55:00Z", "decision_due_at": None,
            "recorded_by": None, "previous_decision_id": None}

SECTIONS = {
    "identity": {"last_name": "Martin", "usage_name": None, "first_names": ["Camille", "Anne"],
                 "birth_date": "2001-03-14", "commune_code": "44109", "departement_code": "44", "rsa_recipient": True,
                 "rqth": False, "barriers": {"mobility": True, "health": False}, "registration_status": "registered",
                 "registered_at": "2026-11-20T08:55:00+00:00", "under_26": True},
    "rsa_status": {"rsa_recipient": True, "departement_code": "44", "orientation_status": "decided",
                   "pathway": "socio_professional", "contract_signed_at": SIGNATURE["signed_at"]},
    "orientation": {"current": DECISION, "history": [DECISION]},
    "appointments": {"items": [{"appointment_id": "5f0c6e0a-8d8e-5b7a-9c1d-2e3f4a5b6c7d", "slot_id": "9c8b7a6d-5e4f-5a3b-8c2d-1e0f9a8b7c6d",
                                "org_id": "ml-nantes-metropole", "starts_at": "2026-11-23T09:30:00Z",
                                "duration_minutes": 45, "channel": "on_site", "location": "Mission locale, Nantes",
                                "delay_days": 3, "within_target": True, "status": "booked"}]},
    "diagnostic": DIAGNOSTIC,
    "contract": CONTRACT,
    "reviews": {"items": [REVIEW], "next_review_due": "2027-11-18", "review_overdue": False},
}
DOSSIER = {"person_id": PERSON_ID, **SECTIONS, "etags": {name: '"2"' for name in SECTIONS}}
CAF_DOSSIER = {"person_id": PERSON_ID, "rsa_status": SECTIONS["rsa_status"], "etags": {"rsa_status": '"5"'}}

BY = {"client_id": "mission-locale-nantes", **ML}
HISTORY_PAGE = {"items": [
    {"id": 2, "section": "contract", "action": "signed", "version": 2, "at": SIGNATURE["signed_at"],
     "changes": {"channel": "on_site"}, "by": BY},
    {"id": 1, "section": "contract", "action": "patched", "version": 1, "at": "2026-11-23T10:30:00+00:00",
     "changes": CONTRACT_PATCH, "by": BY},
], "next_cursor": None}
ACCESS_LOG_PAGE = {"items": [
    {"id": 7, "access": "read", "sections": ["rsa_status"], "purpose": "rsa_entitlement",
     "at": "2026-11-24T08:00:00+00:00", "by": {"client_id": "caf-44", "org_id": "caf-44", "org_type": "caf"},
     "service": "dossier", "reason": None},
    {"id": 6, "access": "write", "sections": ["contract"], "purpose": None, "at": SIGNATURE["signed_at"], "by": BY,
     "service": "dossier", "reason": None},
], "next_cursor": "Wzdd"}
