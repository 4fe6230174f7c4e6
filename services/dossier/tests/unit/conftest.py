"""What the dossier's use-case tests share: a fixed clock, the organisations acting, a service on fakes,
and Camille registered and oriented to the mission locale of Nantes."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest

from services.core.identity import Caller
from services.dossier.api.schemas import SECTION_MODELS, validate_section
from services.dossier.service.handlers import DossierService
from services.dossier.tests.builders import decision, registration
from services.dossier.tests.fakes import unit_of_work

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
SCOPES = frozenset({"dossier:read", "dossier:write"})
ML = Caller("mission-locale-nantes", "ml-nantes-metropole", "mission_locale", ("44",), SCOPES)
FT = Caller("ft-agence-nantes", "ft-agence-44-nantes-est", "france_travail", ("44",), SCOPES)
DEP = Caller("departement-44", "departement-44", "departement", ("44",), SCOPES)
HEALTH_NOTE = "No standing jobs"


@pytest.fixture
def service() -> DossierService:
    return DossierService(validators={name: partial(validate_section, name) for name in SECTION_MODELS},
                          clock=lambda: NOW)


@pytest.fixture
def uow():
    return unit_of_work()


@pytest.fixture
def person_id(service, uow) -> str:
    """Camille (25), an RSA recipient of Loire-Atlantique with a health barrier, oriented to the mission
    locale of Nantes."""
    person = str(uuid.uuid4())
    service.on_registration(uow, registration(person, at=NOW - timedelta(days=3)))
    service.on_decision(uow, decision(person, at=NOW - timedelta(days=2)), "made")
    return person
