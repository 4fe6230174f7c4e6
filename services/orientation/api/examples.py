"""Examples published in the contract: one RSA recipient of Nantes, oriented, then booked."""
PERSON_ID = "7aaaa4d7-9506-5369-9a71-ba618968b44f"
SLOT_ID = "3c1f9a8e-2b7d-5e4f-8a6b-1d2c3e4f5a6b"
APPOINTMENT_ID = "9e8d7c6b-5a4f-5e3d-8c2b-1a0f9e8d7c6b"
REFERENTIAL = {"territory": "44", "version": 1, "national_version": 1}

PROPOSAL = {
    "decision_id": "0f7c1d2e-3b4a-5c6d-8e9f-0a1b2c3d4e5f", "kind": "made", "status": "proposed", "decided_by": None,
    "pathway": "socio_professional", "referent": {"org_type": "france_travail", "org_id": "ft-agence-44-nantes-est"},
    "intensity": "intensive", "referential": REFERENTIAL,
    "rule": "Proposal to the département: Pathway socio_professional: one or two major barriers declared. Referent "
            "france_travail: the operator accompanies everyone no other network member is designated for. Intensity "
            "intensive: RSA recipients start with intensive support. (referential of département 44 v1 over national v1)",
    "rule_ids": ["socio-professional-major-barriers", "france-travail", "intensive-rsa"],
    "decided_at": "2026-11-20T09:00:00Z", "recorded_by": None, "reason": None, "comment": None,
    "previous_decision_id": None,
}
DECIDED = {
    **PROPOSAL, "decision_id": "1a2b3c4d-5e6f-5a7b-8c9d-0e1f2a3b4c5d", "status": "decided", "decided_by": "departement",
    "rule": "Validated by the département (departement-44) as proposed. Pathway socio_professional: one or two major "
            "barriers declared. …", "rule_ids": ["departement-decision"], "decided_at": "2026-11-21T10:00:00Z",
    "recorded_by": "departement-44", "previous_decision_id": PROPOSAL["decision_id"],
}
ORIENTATION = {
    "person_id": PERSON_ID, "departement_code": "44", "rsa_recipient": True, "registered_at": "2026-11-20T08:55:00Z",
    "version": 2, "status": "decided", "decision_due_at": None, "preferred_org_type": None,
    "current": DECIDED, "history": [PROPOSAL, DECIDED],
}
PROPOSED_ORIENTATION = {**ORIENTATION, "version": 1, "status": "proposed", "decision_due_at": "2026-12-20T08:55:00Z",
                        "current": PROPOSAL, "history": [PROPOSAL]}

VALIDATE_AS_PROPOSED: dict = {}
VALIDATE_AMENDED = {"pathway": "social", "referent_org_type": "departement", "intensity": "intensive",
                    "reason": "departement_assessment", "comment": "Housing emergency known to our social services."}
INTERVIEW = {"pathway": "professional", "referent_org_type": "france_travail", "intensity": "guided",
             "notes": "Project confirmed during the interview; availability clarified."}
PREFERENCE = {"org_type": "mission_locale"}
REORIENTATION = {"reason": "first_appointment", "pathway": "social", "referent_org_type": "departement",
                 "intensity": "intensive", "comment": "Needs first to settle housing."}
REORIENTED = {**DECIDED, "decision_id": "2b3c4d5e-6f7a-5b8c-9d0e-1f2a3b4c5d6e", "kind": "reoriented",
              "pathway": "social", "referent": {"org_type": "departement", "org_id": "departement-44"},
              "decided_by": "reorientation", "reason": "first_appointment", "rule_ids": ["reorientation"],
              "rule": "Re-oriented by departement-44 (reason: first_appointment): pathway social, referent departement, "
                      "intensity intensive.", "previous_decision_id": DECIDED["decision_id"]}
REORIENTED_ORIENTATION = {**ORIENTATION, "version": 3, "current": REORIENTED, "history": [PROPOSAL, DECIDED, REORIENTED]}

REFERENTIAL_PUT = {"comment": "Arrêté conjoint PCD/préfet of 2026-12-01.",
                   "referential": {"rsa": {"authority": "delegated", "decision_delay_days": 21}}}
REFERENTIAL_OUT = {"territory": "44", "version": 2, "document": REFERENTIAL_PUT["referential"],
                   "comment": REFERENTIAL_PUT["comment"], "created_by": "platform-admin",
                   "created_at": "2026-12-01T09:00:00Z"}
REFERENTIAL_PAGE = {"items": [REFERENTIAL_OUT], "next_cursor": None}
WHAT_IF = {"territory": "44", "referential": {"referent": [
    {"id": "france-travail", "then": "france_travail", "when": {}, "explain": "the operator accompanies everyone"}]}}
WHAT_IF_OUT = {"territory": "44", "population": 1250, "pathway_changed": 0, "organisation_changed": 310,
               "changed": 310, "by_departement": [{"departement_code": "44", "population": 1250, "pathway_changed": 0,
                                                   "organisation_changed": 310, "changed": 310}]}

SLOT_IN = {"starts_at": "2026-11-27T09:30:00Z", "duration_minutes": 45, "channel": "on_site",
           "location": "France Travail Nantes Est, 3 rue Jules Verne, 44000 Nantes"}
SLOT_OUT = {"slot_id": SLOT_ID, "org_id": "ft-agence-44-nantes-est", **SLOT_IN, "starts_at": "2026-11-27T09:30:00Z",
            "available": True, "created_at": "2026-11-20T08:00:00Z"}
SLOT_PAGE = {"items": [SLOT_OUT], "next_cursor": None}
APPOINTMENT_IN = {"person_id": PERSON_ID, "slot_id": SLOT_ID}
APPOINTMENT_OUT = {"appointment_id": APPOINTMENT_ID, "person_id": PERSON_ID, "slot": {**SLOT_OUT, "available": False},
                   "decision_id": DECIDED["decision_id"], "status": "booked", "delay_days": 7, "within_target": True,
                   "booked_at": "2026-11-21T10:05:00Z", "booked_by": "ft-agence-44-nantes-est",
                   "no_show_recorded_at": None, "reminders_sent": []}
NO_SHOW_OUT = {**APPOINTMENT_OUT, "status": "no_show", "no_show_recorded_at": "2026-11-27T10:30:00Z",
               "reminders_sent": ["48h", "2h"]}
