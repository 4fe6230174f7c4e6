"""Events other services publish, built as their producers would (CloudEvents envelopes), and the
forbidden fields a recruiter or an event must never carry."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from services.core.events import Envelope
from services.dossier.published import DIAGNOSTIC_COMPLETED
from services.offers.published import OFFER_PUBLISHED
from services.orientation.published import DECISION_MADE
from services.registration.published import PERSON_REGISTERED

NOW = datetime.now(timezone.utc).replace(microsecond=0)
ML, FT = "ml-nantes-metropole", "ft-agence-44-nantes-est"
# Names, contact, NIR, birth date, address, health barrier, RQTH: keys and the values of the builders.
FORBIDDEN_KEYS = {"first_name", "last_name", "first_names", "usage_name", "email", "phone", "contact", "nir",
                  "birth_date", "address", "line", "postal_code", "health", "barriers", "rqth", "pre_diagnostic"}
FORBIDDEN_VALUES = ("Martin", "Camille", "camille.martin@example.org", "+33 6 12 34 56 78", "2001-03-14")


def registration(person_id: str, *, commune: str = "44109", at: datetime = NOW - timedelta(days=3),
                 french_level: str = "native", licence: bool = True) -> Envelope:
    departement = commune[:2]
    return Envelope(type=PERSON_REGISTERED.name, source="registration", subject=person_id, time=at, data={
        "registration_id": person_id, "status": "registered", "channel": "counter", "registered_at": at.isoformat(),
        "identity": {"last_name": "Martin", "usage_name": None, "first_names": ["Camille"], "birth_date": "2001-03-14",
                     "sex": "F"},
        "territory": {"commune_code": commune, "departement_code": departement, "region_code": "52"},
        "situation": {"professional_situation": "unemployed", "rsa_recipient": True, "under_26": True,
                      "driving_licence": licence, "french_level": french_level},
        "skills": {"executive_experience": False},
        "pre_diagnostic": {"work_experience": "1_to_5_years", "project_maturity": "ready", "availability": "immediate",
                           "support_needed": "guided"},
        "possible_duplicate_of": None,
    })


def decision(person_id: str, org_id: str = ML, *, status: str = "decided", at: datetime = NOW - timedelta(days=2)):
    return Envelope(type=DECISION_MADE.name, source="orientation", subject=person_id, time=at, data={
        "person_id": person_id, "decision_id": str(uuid.uuid4()), "status": status, "decided_by": "rules",
        "pathway": "socio_professional", "referent": {"org_type": "mission_locale", "org_id": org_id},
        "intensity": "intensive", "departement_code": "44", "rsa_recipient": True,
        "referential": {"territory": "44", "version": 1, "national_version": 1}, "rule": "Young RSA recipient",
        "rule_ids": ["young-rsa"], "decided_at": at.isoformat(), "registered_at": (at - timedelta(days=1)).isoformat(),
        "decision_due_at": None, "recorded_by": None, "previous_decision_id": None,
    })


def diagnostic(person_id: str, at: datetime = NOW - timedelta(days=1)) -> Envelope:
    return Envelope(type=DIAGNOSTIC_COMPLETED.name, source="dossier", subject=person_id, time=at, data={
        "person_id": person_id, "version": 3, "completed_at": at.isoformat(),
        "completed_by": {"org_id": ML, "org_type": "mission_locale"}, "explicit": False,
        "fields_filled": ["skills", "professional_project"],
    })


def offer(offer_id: str, owner_org_id: str, *, rome: str = "D1102", commune: str = "44109",
          contract: str = "MIS") -> Envelope:
    return Envelope(type=OFFER_PUBLISHED.name, source="offers", subject=offer_id, time=NOW, data={
        "offer_id": offer_id, "status": "published", "version": 1, "title": "Boulanger (H/F)",
        "employer": {"siret": None, "name": "Boulangerie"},
        "place": {"commune_code": commune, "commune_name": "Nantes", "departement_code": commune[:2],
                  "region_code": "52"},
        "rome": {"code": rome, "label": "Boulangerie - viennoiserie"}, "contract_type": contract,
        "contract_duration_months": 3, "working_time": "full_time", "weekly_hours": 35,
        "salary": {"min_yearly_eur": 22000, "max_yearly_eur": None},
        "accessible_to_disabled": False, "positions": 1, "published_at": NOW.isoformat(), "ends_on": None,
        "owner_org_id": owner_org_id, "sources": 1, "warnings": [],
    })


STATEMENT: dict[str, Any] = {
    "rome_codes": ["D1102"], "contract_types": ["CDI", "MIS"], "working_time": "any", "mobility_km": 30,
    "skills": ["Pétrissage", "Façonnage"], "languages": [{"code": "fr", "level": "native"},
                                                           {"code": "en", "level": "basic"}],
    "contact": {"email": "camille.martin@example.org", "phone": "+33 6 12 34 56 78"},
}


def forbidden_in(document: Any) -> list[str]:
    """Every forbidden key or value found anywhere in a JSON document."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.extend(key for key in node if key in FORBIDDEN_KEYS)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(document)
    text = json.dumps(document, ensure_ascii=False)
    return found + [value for value in FORBIDDEN_VALUES if value in text]
