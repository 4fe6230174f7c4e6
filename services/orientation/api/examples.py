"""Examples published in the contract, in the order they work against a fresh `make run`: Camille
(registered at the agency) prefers the mission locale, the département validates, the mission locale
books her first appointment; Sofiane (pre-registered from the CAF's demo fact) sees the département at
a giratoire interview, then is re-oriented towards its social support and misses an appointment.
Ids are those the platform derives: from (client, Idempotency-Key) for what a request creates, from
(person, rank) for decisions."""
import uuid

from services.core.idempotency import resource_id
from services.orientation.domain.model import DECISION_NAMESPACE

AGENCY, ML, DEPARTEMENT = "ft-agence-nantes", "mission-locale-nantes", "departement-44"
# Camille's registration (the registration API's example) and Sofiane's (from the CAF's demo fact).
PERSON_ID = resource_id(AGENCY, "example-registration-camille-martin")
SOFIANE_ID = resource_id("partner-fact", "5b0e7c1e-2f1a-4d4b-9c55-6a8e2f0d3c11")

PREFERENCE_KEY = "example-preference-camille"
VALIDATE_KEY = "example-validate-camille"
INTERVIEW_KEY = "example-interview-sofiane"
REORIENTATION_KEY = "example-reorientation-sofiane"
SLOT_KEY = "example-slot-mission-locale-nantes"
APPOINTMENT_KEY = "example-appointment-camille"
# Sofiane's appointment with the département, which he misses (its booking is not an example).
MISSED_APPOINTMENT_KEY = "example-appointment-sofiane"
NO_SHOW_KEY = "example-no-show-sofiane"
SLOT_ID = resource_id(ML, SLOT_KEY)
APPOINTMENT_ID = resource_id(ML, APPOINTMENT_KEY)
MISSED_APPOINTMENT_ID = resource_id(DEPARTEMENT, MISSED_APPOINTMENT_KEY)
REFERENTIAL = {"territory": "44", "version": 1, "national_version": 1}


def decision_id(person_id: str, rank: int) -> str:
    return str(uuid.uuid5(DECISION_NAMESPACE, f"{person_id}/{rank}"))


PROPOSAL = {
    "decision_id": decision_id(PERSON_ID, 1), "kind": "made", "status": "proposed", "decided_by": None,
    "pathway": "socio_professional", "referent": {"org_type": "france_travail", "org_id": "ft-agence-44-nantes-est"},
    "intensity": "intensive", "referential": REFERENTIAL,
    "rule": "Proposal to the département: Pathway socio_professional: one or two major barriers declared. Referent "
            "france_travail: the operator accompanies everyone no other network member is designated for. Intensity "
            "intensive: RSA recipients start with intensive support. (referential of département 44 v1 over national v1)",
    "rule_ids": ["socio-professional-major-barriers", "france-travail", "intensive-rsa"],
    "decided_at": "2026-11-23T09:31:00Z", "recorded_by": None, "reason": None, "comment": None,
    "previous_decision_id": None,
}
PREFERRED = {
    **PROPOSAL, "decision_id": decision_id(PERSON_ID, 2), "pathway": "professional",
    "referent": {"org_type": "mission_locale", "org_id": "ml-nantes-metropole"},
    "rule": "Proposal to the département: Pathway professional: no major barrier and no basic skills, language or "
            "digital barrier. Referent mission_locale: the person's stated preference, eligible here. Intensity "
            "intensive: RSA recipients start with intensive support. (referential of département 44 v1 over national v1)",
    "rule_ids": ["professional", "preference", "intensive-rsa"], "decided_at": "2026-11-23T09:40:00Z",
}
DECIDED = {
    **PREFERRED, "decision_id": decision_id(PERSON_ID, 3), "status": "decided", "decided_by": "departement",
    "rule": "Validated by the département (departement-44) as proposed. Pathway professional: no major barrier and "
            "no basic skills, language or digital barrier. …", "rule_ids": ["departement-decision"],
    "decided_at": "2026-11-24T10:00:00Z", "recorded_by": "departement-44", "previous_decision_id": PREFERRED["decision_id"],
}
PROPOSED_ORIENTATION = {
    "person_id": PERSON_ID, "departement_code": "44", "rsa_recipient": True, "registered_at": "2026-11-23T09:30:00Z",
    "version": 2, "status": "proposed", "decision_due_at": "2026-12-23T09:30:00Z", "preferred_org_type": "mission_locale",
    "current": PREFERRED, "history": [PROPOSAL, PREFERRED],
}
ORIENTATION = {**PROPOSED_ORIENTATION, "version": 3, "status": "decided", "decision_due_at": None,
               "current": DECIDED, "history": [PROPOSAL, PREFERRED, DECIDED]}

VALIDATE_AS_PROPOSED: dict = {}
VALIDATE_AMENDED = {"pathway": "social", "referent_org_type": "departement", "intensity": "intensive",
                    "reason": "departement_assessment", "comment": "Housing emergency known to our social services."}
INTERVIEW = {"pathway": "professional", "referent_org_type": "france_travail", "intensity": "guided",
             "notes": "Project confirmed during the interview; availability clarified."}
PREFERENCE = {"org_type": "mission_locale"}
REORIENTATION = {"reason": "first_appointment", "pathway": "social", "referent_org_type": "departement",
                 "intensity": "intensive", "comment": "Needs first to settle housing."}
SOFIANE_PROPOSAL = {**PROPOSAL, "decision_id": decision_id(SOFIANE_ID, 1), "decided_at": "2026-11-23T09:35:00Z"}
INTERVIEWED = {
    **SOFIANE_PROPOSAL, "decision_id": decision_id(SOFIANE_ID, 2), "status": "decided", "decided_by": "interview",
    "pathway": "professional", "intensity": "guided", "rule_ids": ["giratoire-interview"],
    "rule": "Giratoire interview held by departement-44: pathway professional, referent france_travail, "
            "intensity guided.", "decided_at": "2026-11-25T14:00:00Z", "recorded_by": "departement-44",
    "comment": INTERVIEW["notes"], "previous_decision_id": SOFIANE_PROPOSAL["decision_id"]}
REORIENTED = {**INTERVIEWED, "decision_id": decision_id(SOFIANE_ID, 3), "kind": "reoriented",
              "pathway": "social", "referent": {"org_type": "departement", "org_id": "departement-44"},
              "intensity": "intensive", "decided_by": "reorientation", "reason": "first_appointment",
              "rule_ids": ["reorientation"], "comment": REORIENTATION["comment"], "decided_at": "2026-12-02T10:00:00Z",
              "rule": "Re-oriented by departement-44 (reason: first_appointment): pathway social, referent departement, "
                      "intensity intensive.", "previous_decision_id": INTERVIEWED["decision_id"]}
REORIENTED_ORIENTATION = {**ORIENTATION, "person_id": SOFIANE_ID, "registered_at": "2026-11-23T09:35:00Z",
                          "preferred_org_type": None, "current": REORIENTED,
                          "history": [SOFIANE_PROPOSAL, INTERVIEWED, REORIENTED]}
INTERVIEWED_ORIENTATION = {**REORIENTED_ORIENTATION, "version": 2, "current": INTERVIEWED,
                           "history": [SOFIANE_PROPOSAL, INTERVIEWED]}

REFERENTIAL_PUT = {"comment": "Arrêté conjoint PCD/préfet of 2026-12-01.",
                   "referential": {"rsa": {"authority": "delegated", "decision_delay_days": 21}}}
REFERENTIAL_OUT = {"territory": "44", "version": 2, "document": REFERENTIAL_PUT["referential"],
                   "comment": REFERENTIAL_PUT["comment"], "created_by": "platform-admin",
                   "created_at": "2026-12-01T09:00:00Z"}
SHIPPED_REFERENTIAL = {"territory": "44", "version": 1, "document": {
    "title": "Référentiel d'orientation — compléments de Loire-Atlantique (démo)",
    "source": "Demo override shipped with the platform.", "rsa": {"authority": "departement", "decision_delay_days": 30}},
    "comment": "Default shipped with the platform.", "created_by": "platform", "created_at": "2026-11-02T08:00:00Z"}
REFERENTIAL_PAGE = {"items": [REFERENTIAL_OUT, SHIPPED_REFERENTIAL], "next_cursor": None}
WHAT_IF = {"territory": "44", "referential": {"referent": [
    {"id": "france-travail", "then": "france_travail", "when": {}, "explain": "the operator accompanies everyone"}]}}
WHAT_IF_OUT = {"territory": "44", "population": 1250, "pathway_changed": 0, "organisation_changed": 310,
               "changed": 310, "by_departement": [{"departement_code": "44", "population": 1250, "pathway_changed": 0,
                                                   "organisation_changed": 310, "changed": 310}]}

# Far enough ahead for the example to stay bookable for years.
SLOT_IN = {"starts_at": "2031-03-03T09:30:00Z", "duration_minutes": 45, "channel": "on_site",
           "location": "Mission locale Nantes Métropole, 4 rue Bisson, 44100 Nantes"}
SLOT_OUT = {"slot_id": SLOT_ID, "org_id": "ml-nantes-metropole", **SLOT_IN, "available": True,
            "created_at": "2026-11-24T10:02:00Z"}
SLOT_PAGE = {"items": [SLOT_OUT], "next_cursor": None}
APPOINTMENT_IN = {"person_id": PERSON_ID, "slot_id": SLOT_ID}
APPOINTMENT_OUT = {"appointment_id": APPOINTMENT_ID, "person_id": PERSON_ID, "slot": {**SLOT_OUT, "available": False},
                   "decision_id": DECIDED["decision_id"], "status": "booked", "delay_days": 1560, "within_target": False,
                   "booked_at": "2026-11-24T10:05:00Z", "booked_by": "ml-nantes-metropole",
                   "no_show_recorded_at": None, "reminders_sent": []}
MISSED_SLOT = {"slot_id": resource_id(DEPARTEMENT, "example-slot-departement-44"), "org_id": "departement-44",
               "starts_at": "2026-12-04T14:00:00Z", "duration_minutes": 60, "channel": "on_site",
               "location": "Espace départemental des solidarités, Nantes", "available": False,
               "created_at": "2026-12-02T10:05:00Z"}
NO_SHOW_OUT = {"appointment_id": MISSED_APPOINTMENT_ID, "person_id": SOFIANE_ID, "slot": MISSED_SLOT,
               "decision_id": REORIENTED["decision_id"], "status": "no_show", "delay_days": 2, "within_target": True,
               "booked_at": "2026-12-02T10:06:00Z", "booked_by": "departement-44",
               "no_show_recorded_at": "2026-12-04T15:10:00Z", "reminders_sent": ["48h", "2h"]}

# The person's own door (issue 15): Camille, logged in, sees her orientation at the mission locale and
# the appointment it booked for her, moves it a week later, cancels it, then books the first slot herself.
PERSON_ORIENTATION_OUT = {**ORIENTATION, "referent_organisation": {
    "org_id": "ml-nantes-metropole", "org_type": "mission_locale", "name": "Mission locale Nantes Métropole"}}
PERSON_APPOINTMENT_KEY = "example-my-appointment-camille"
PERSON_APPOINTMENT_ID = resource_id(f"person:{PERSON_ID}", PERSON_APPOINTMENT_KEY)
LATER_SLOT_KEY = "example-slot-mission-locale-nantes-later"
LATER_SLOT_ID = resource_id(ML, LATER_SLOT_KEY)
LATER_SLOT_IN = {**SLOT_IN, "starts_at": "2031-03-10T09:30:00Z"}
PERSON_APPOINTMENTS = {"items": [APPOINTMENT_OUT]}
PERSON_MOVE_IN = {"slot_id": LATER_SLOT_ID}
PERSON_MOVED_OUT = {**APPOINTMENT_OUT, "slot": {**SLOT_OUT, **LATER_SLOT_IN, "slot_id": LATER_SLOT_ID, "available": False},
                    "delay_days": 1567}
PERSON_CANCELLED_OUT = {**PERSON_MOVED_OUT, "status": "cancelled", "cancelled_at": "2026-11-25T08:00:00Z"}
PERSON_APPOINTMENT_IN = {"slot_id": SLOT_ID}
PERSON_APPOINTMENT_OUT = {**APPOINTMENT_OUT, "appointment_id": PERSON_APPOINTMENT_ID, "booked_by": f"person:{PERSON_ID}",
                          "booked_at": "2026-11-25T08:01:00Z"}
