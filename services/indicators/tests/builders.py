"""Other services' events as their producers publish them (checked against schemas/ in test_builders)."""
from __future__ import annotations

import uuid
from datetime import datetime

from services.core.events import Envelope
from services.core.inbound import DSN_HIRING_DECLARED
from services.dossier.published import CONTRACT_SIGNED
from services.registration.published import PERSON_REGISTERED
from services.sanctions.published import DECISION_MADE as SANCTION_MADE


def _envelope(event_type, source: str, subject: str, at: datetime, data: dict) -> Envelope:
    return Envelope(type=event_type.name, source=source, subject=subject, time=at, data=data)


def registered(at: datetime, commune: str, *, sex: str = "F", person: str | None = None) -> Envelope:
    person = person or str(uuid.uuid4())
    departement = commune[:2]
    return _envelope(PERSON_REGISTERED, "registration", person, at, {
        "registration_id": person, "status": "registered", "channel": "online", "registered_at": at.isoformat(),
        "identity": {"last_name": "Durand", "usage_name": None, "first_names": ["Alex"],
                     "birth_date": f"{at.year - 30}-06-02", "sex": sex},
        "territory": {"commune_code": commune, "departement_code": departement, "region_code": "52"},
        "situation": {"professional_situation": "unemployed", "rsa_recipient": False, "under_26": False},
        "skills": {"executive_experience": False},
        "pre_diagnostic": {"work_experience": "more_than_5_years", "project_maturity": "to_build",
                           "availability": "immediate", "support_needed": "guided"},
        "possible_duplicate_of": None})


def contract_signed(person: str, at: datetime) -> Envelope:
    org = {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}
    return _envelope(CONTRACT_SIGNED, "dossier", person, at, {
        "person_id": person, "contract_version": 1, "signed_at": at.isoformat(), "channel": "on_site",
        "recorded_by": org, "referent": org, "pathway": "professional", "jeunes_mention": False,
        "objectives_count": 2, "actions": [{"owner": "person", "due_date": "2026-04-15", "status": "planned"}],
        "next_review_due": "2026-09-02"})


def sanction_decided(at: datetime, territory: str = "53") -> Envelope:
    person = str(uuid.uuid4())
    return _envelope(SANCTION_MADE, "sanctions", person, at, {
        "case_id": str(uuid.uuid4()), "person_id": person, "regime": "rsa", "territory": territory,
        "scale_version": "target", "rule": "target.initial_appointments_missed",
        "authority": "president_conseil_departemental", "decided_at": at.isoformat(), "at": at.isoformat(),
        "reason": None, "household_size": 1,
        "consequence": {"kind": "suspension_remobilisation", "months": None, "reduction_percent": 100,
                        "allowance_months_cancelled": None, "whole_household": False, "list_removal": False,
                        "support_continues": True}})


def hiring_declared(person: str, at: datetime, contract_type: str = "CDI") -> Envelope:
    return _envelope(DSN_HIRING_DECLARED, "partners.dsn", person, at, {
        "declaration_id": str(uuid.uuid4()), "person_id": person, "employer_siret": "73282932000074",
        "hired_on": at.date().isoformat(), "contract_type": contract_type,
        "contract_duration_months": None if contract_type == "CDI" else 6, "working_time": "full_time",
        "declared_at": at.isoformat()})
