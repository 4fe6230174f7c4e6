"""Builders of the sanctions tests: lapses, cases, and the other services' events as they publish them."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from services.core.events import Envelope
from services.dossier.published import CONTRACT_SIGNED, CONTRACT_UNSIGNED, DIAGNOSTIC_COMPLETED, REVIEW_OVERDUE
from services.orientation.published import APPOINTMENT_NO_SHOW, DECISION_MADE
from services.registration.published import PERSON_REGISTERED
from services.sanctions.adapters.scales import shipped_scales
from services.sanctions.domain.case import Case, Lapse, Source

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PERSON = "5b0d6c1e-2f4a-4c8e-9d3b-7a1e2f3c4d5e"


def lapse(obligation: str = "attend_appointment", source: Source = Source.REFERENT_REPORT, at: datetime = NOW,
          person: str = PERSON) -> Lapse:
    return Lapse(str(uuid.uuid4()), person, obligation, source, "Absent au rendez-vous.", at, at, "ft-agence-44-nantes-est")


def open_case(public: str = "rsa", category: str = "obligation", version: str = "current", previous: int = 0,
              household: int = 1, at: datetime = NOW) -> Case:
    evaluation = shipped_scales()[version].evaluate(public, category, previous, household)
    return Case.open(str(uuid.uuid4()), [lapse(at=at)], "44", public, category, previous, household, evaluation, at)


def later(days: float) -> datetime:
    return NOW + timedelta(days=days)


# -- other services' events, as their producers publish them (checked against schemas/ in test_builders) --
def _envelope(event_type, source: str, subject: str, at: datetime, data: dict) -> Envelope:
    return Envelope(type=event_type.name, source=source, subject=subject, time=at, data=data)


def registered(person: str, *, rsa: bool = True, birth_date: str = "1985-06-02", departement: str = "44",
               at: datetime = NOW):
    return _envelope(PERSON_REGISTERED, "registration", person, at, {
        "registration_id": person, "status": "registered", "channel": "online", "registered_at": at.isoformat(),
        "identity": {"last_name": "Durand", "usage_name": None, "first_names": ["Alex"], "birth_date": birth_date,
                     "sex": "M"},
        "territory": {"commune_code": f"{departement}109", "departement_code": departement, "region_code": "52"},
        "situation": {"professional_situation": "unemployed", "rsa_recipient": rsa, "under_26": False,
                      "driving_licence": False, "french_level": "native"},
        "skills": {"executive_experience": False},
        "pre_diagnostic": {"work_experience": "more_than_5_years", "project_maturity": "to_build",
                           "availability": "immediate", "support_needed": "guided"},
        "possible_duplicate_of": None})


def oriented(person: str, org_id: str = "ft-agence-44-nantes-est", org_type: str = "france_travail",
             at: datetime = NOW):
    return _envelope(DECISION_MADE, "orientation", person, at, {
        "person_id": person, "decision_id": str(uuid.uuid4()), "status": "decided", "decided_by": "rules",
        "pathway": "professional", "referent": {"org_type": org_type, "org_id": org_id}, "intensity": "guided",
        "departement_code": "44", "rsa_recipient": True,
        "referential": {"territory": "44", "version": 1, "national_version": 1}, "rule": "RSA professional",
        "rule_ids": ["rsa-professional"], "decided_at": at.isoformat(), "registered_at": at.isoformat(),
        "decision_due_at": None, "recorded_by": None, "previous_decision_id": None})


def no_show(person: str, *, rsa: bool = True, at: datetime = NOW, org_id: str = "ft-agence-44-nantes-est"):
    return _envelope(APPOINTMENT_NO_SHOW, "orientation", person, at, {
        "appointment_id": str(uuid.uuid4()), "person_id": person, "slot_id": str(uuid.uuid4()), "org_id": org_id,
        "starts_at": at.isoformat(), "duration_minutes": 45, "channel": "on_site", "location": "Nantes Est",
        "delay_days": 6, "within_target": True, "recorded_at": at.isoformat(), "recorded_by": org_id,
        "departement_code": "44", "rsa_recipient": rsa})


def interview_held(person: str, at: datetime):
    return _envelope(DIAGNOSTIC_COMPLETED, "dossier", person, at, {
        "person_id": person, "version": 2, "completed_at": at.isoformat(),
        "completed_by": {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}, "explicit": False,
        "fields_filled": ["skills", "labour_market", "rights_and_duties"]})


def contract_signed(person: str, at: datetime):
    org = {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}
    return _envelope(CONTRACT_SIGNED, "dossier", person, at, {
        "person_id": person, "contract_version": 1, "signed_at": at.isoformat(), "channel": "on_site",
        "recorded_by": org, "referent": org, "pathway": "professional", "jeunes_mention": False,
        "objectives_count": 2, "actions": [{"owner": "person", "due_date": "2026-04-15", "status": "planned"}],
        "next_review_due": "2026-09-02"})


# The dossier's deadline facts, as its follow-up job publishes them.
def review_overdue(person: str, due: str = "2026-09-02", *, rsa: bool = True):
    return _envelope(REVIEW_OVERDUE, "dossier", person, NOW, {
        "person_id": person, "next_review_due": due, "signed_at": "2026-03-02T09:00:00+00:00", "last_review_at": None,
        "referent": {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}, "departement_code": "44",
        "rsa_recipient": rsa})


def contract_unsigned(person: str, completed_at: datetime = NOW, *, rsa: bool = True):
    due = completed_at + timedelta(days=30)
    return _envelope(CONTRACT_UNSIGNED, "dossier", person, due, {
        "person_id": person, "diagnostic_completed_at": completed_at.isoformat(), "signature_due": due.isoformat(),
        "referent": {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}, "departement_code": "44",
        "rsa_recipient": rsa})
