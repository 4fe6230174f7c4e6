"""Test data: people as registration events and as domain facts, and the shipped referentials."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any

from services.orientation.adapters.files import shipped_referential
from services.orientation.domain import referential as ref
from services.orientation.domain.model import Person

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
ANSWERS = {"work_experience": "1_to_5_years", "project_maturity": "to_confirm", "availability": "within_3_months",
           "support_needed": "guided", "barriers": {}}


def referential(territory: str = "national", override: dict | None = None) -> ref.Referential:
    document = shipped_referential("national")
    local = override if override is not None else shipped_referential(territory) if territory != "national" else None
    if local is not None:
        document = ref.deep_merge(document, local)
    return ref.parse(document, territory, 1, 1)


def person(*, age: int = 35, rsa: bool = False, rqth: bool = False, executive: bool = False,
           answers: dict | None | str = "default", barriers: dict | None = None, departement: str = "44",
           commune: str | None = None, registered_at: datetime = NOW, **answer_changes: Any) -> Person:
    given = dict(ANSWERS) if answers == "default" else answers
    if given is not None:
        given = {**given, **answer_changes, "barriers": barriers if barriers is not None else given.get("barriers", {})}
    return Person(person_id=str(uuid.uuid4()), birth_date=date(NOW.year - age, 1, 1),
                  commune_code=commune or f"{departement}109", departement_code=departement, rsa_recipient=rsa,
                  rqth=rqth, executive=executive, pre_diagnostic=given, registered_at=registered_at)


def registered_event(*, person_id: str | None = None, birth_date: str = "1990-05-02", commune: str = "44109",
                     departement: str = "44", rsa: bool = False, rqth: bool = False, executive: bool = False,
                     pre_diagnostic: dict | None | str = "default", registered_at: str | None = None) -> dict:
    """The data of a registration.person.registered.v1 event, valid against its schema."""
    return {
        "registration_id": person_id or str(uuid.uuid4()), "status": "registered", "channel": "counter",
        "registered_at": registered_at or datetime.now(timezone.utc).isoformat(),
        "identity": {"last_name": "Martin", "usage_name": None, "first_names": ["Camille"], "birth_date": birth_date,
                     "sex": "F"},
        "territory": {"commune_code": commune, "departement_code": departement, "region_code": "52"},
        "situation": {"professional_situation": "unemployed", "rsa_recipient": rsa, "rqth": rqth, "under_26": False},
        "skills": {"executive_experience": executive},
        "pre_diagnostic": dict(ANSWERS) if pre_diagnostic == "default" else pre_diagnostic,
        "possible_duplicate_of": None,
    }
