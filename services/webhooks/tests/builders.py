"""Other services' events, as their producers publish them (checked against schemas/ in the unit tests)."""
from __future__ import annotations

import uuid
from datetime import datetime

from services.core.db import utcnow
from services.core.events import Envelope
from services.dossier.published import DIAGNOSTIC_COMPLETED
from services.orientation.published import DECISION_MADE
from services.registration.published import PERSON_REGISTERED

FT = {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}


def _envelope(event_type, source: str, subject: str, at: datetime | None, data: dict) -> Envelope:
    return Envelope(type=event_type.name, source=source, subject=subject, time=at or utcnow(), data=data)


def registered(person: str, *, departement: str = "44", rsa: bool = True, at: datetime | None = None) -> Envelope:
    moment = (at or utcnow()).isoformat()
    return _envelope(PERSON_REGISTERED, "registration", person, at, {
        "registration_id": person, "status": "registered", "channel": "online", "registered_at": moment,
        "identity": {"last_name": "Durand", "usage_name": None, "first_names": ["Alex"], "birth_date": "1985-06-02",
                     "sex": "M"},
        "territory": {"commune_code": f"{departement}109", "departement_code": departement, "region_code": "52"},
        "situation": {"professional_situation": "unemployed", "rsa_recipient": rsa, "under_26": False,
                      "driving_licence": False, "french_level": "native"},
        "skills": {"executive_experience": False},
        "pre_diagnostic": {"work_experience": "more_than_5_years", "project_maturity": "to_build",
                           "availability": "immediate", "support_needed": "guided"},
        "possible_duplicate_of": None})


def oriented(person: str, at: datetime | None = None) -> Envelope:
    moment = (at or utcnow()).isoformat()
    return _envelope(DECISION_MADE, "orientation", person, at, {
        "person_id": person, "decision_id": str(uuid.uuid4()), "status": "decided", "decided_by": "rules",
        "pathway": "professional", "referent": FT, "intensity": "guided", "departement_code": "44",
        "rsa_recipient": True, "referential": {"territory": "44", "version": 1, "national_version": 1},
        "rule": "RSA professional", "rule_ids": ["rsa-professional"], "decided_at": moment, "registered_at": moment,
        "decision_due_at": None, "recorded_by": None, "previous_decision_id": None})


def diagnosed(person: str, at: datetime | None = None) -> Envelope:
    return _envelope(DIAGNOSTIC_COMPLETED, "dossier", person, at, {
        "person_id": person, "version": 2, "completed_at": (at or utcnow()).isoformat(), "completed_by": FT,
        "explicit": False, "fields_filled": ["skills"]})
