"""Typed obligations in the contract (issue 12): the signed event carries the common base, the
pathway's and those agreed, with due dates and the reporting frequency of the person's public; the
free-text obligations stay readable and unpublished."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest
from pydantic import ValidationError

from services.core.identity import Caller
from services.dossier.api import examples
from services.dossier.api.schemas import SECTION_MODELS, validate_section
from services.dossier.published import CONTRACT_SIGNED
from services.dossier.service.handlers import DossierService
from services.dossier.tests.builders import decision, registration
from services.dossier.tests.fakes import unit_of_work

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ML = Caller("mission-locale-nantes", "ml-nantes-metropole", "mission_locale", ("44",),
            frozenset({"dossier:read", "dossier:write"}))
AGREED = [{"code": "medical_aptitude_visit", "due_dates": ["2027-01-10"]},
          {"code": "carry_out_actions", "due_dates": ["2026-12-15", "2027-01-15"]}]


def signed_contract(typed: list[dict]) -> tuple[dict, dict]:
    service = DossierService(validators={name: partial(validate_section, name) for name in SECTION_MODELS},
                             clock=lambda: NOW)
    uow, person = unit_of_work(), str(uuid.uuid4())
    service.on_registration(uow, registration(person, at=NOW - timedelta(days=3)))  # Camille, 25, RSA
    service.on_decision(uow, decision(person, at=NOW - timedelta(days=2)), "made")
    service.patch(uow, ML, person, "contract", {**examples.CONTRACT_PATCH, "typed_obligations": typed}, '"0"')
    body, _ = service.sign(uow, ML, person, "on_site", '"1"')
    [signed] = uow.events.of_type(CONTRACT_SIGNED)
    return body, signed.data


def test_the_signed_event_types_the_base_the_pathway_and_the_agreed_obligations():
    body, data = signed_contract(AGREED)
    items = {item["code"]: item for item in data["obligations"]["items"]}
    assert data["obligations"]["referential_version"] == 1
    assert items["report_changes"]["every"] == "quarterly"  # an RSA recipient
    assert items["carry_out_actions"] == {"code": "carry_out_actions", "scope": "common",
                                          "due_dates": ["2026-12-15", "2027-01-15"], "every": None}
    assert items["medical_aptitude_visit"]["scope"] == "individual"
    assert "initial_diagnostic_appointment" in items and "attend_appointment" in items
    assert body["obligations"] == examples.CONTRACT_PATCH["obligations"]  # the free text stays readable
    assert "Attend the monthly interviews" not in str(data)  # and unpublished


def test_an_unknown_obligation_code_is_refused():
    with pytest.raises(ValidationError, match="typed_obligations"):
        signed_contract([{"code": "be_nice", "due_dates": []}])
