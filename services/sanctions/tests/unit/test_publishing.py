"""The events a case's changes publish: valid against schemas/, and carrying the consequence and
nothing else about the person."""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from services.core.events import SchemaRegistry
from services.core.settings import ServiceSettings
from services.core.uow import RecordedEvents
from services.sanctions.published import ACCESS_RECORDED, DECISION_LIFTED, DECISION_MADE
from services.sanctions.service.publishing import publish_changes, record_read
from services.sanctions.tests.builders import later, open_case

SCHEMAS = SchemaRegistry(ServiceSettings.from_env("sanctions").schemas_dir)
AUTHORITY = SimpleNamespace(client_id="departement-44", org_id="departement-44", org_type="departement")
REFERENT = SimpleNamespace(client_id="ft-agence-nantes", org_id="ft-agence-44-nantes-est", org_type="france_travail")


class HeldFake:
    def __init__(self) -> None:
        self.rows: list[tuple[str, dict[str, Any]]] = []

    def hold(self, case_id: str, person_id: str, access: dict[str, Any], now) -> None:
        self.rows.append((case_id, access))

    def release(self, case_id: str) -> list[dict[str, Any]]:
        released = [access for held, access in self.rows if held == case_id]
        self.rows = [row for row in self.rows if row[0] != case_id]
        return released


def test_a_remobilisation_decided_then_lifted_tells_the_payer_the_consequence_only():
    case = open_case("rsa", "initial_appointments_missed", version="target", household=2)
    case.record_observations("Pas de garde d'enfant ce jour-là.", None, "departement-44", later(1))
    case.decide(True, None, None, "departement-44", later(2))
    case.record_reengagement("interview_held", later(5), later(5))
    case.record_reengagement("contract_signed", later(6), later(6))
    uow = SimpleNamespace(events=RecordedEvents(SCHEMAS), held=HeldFake())
    publish_changes(uow, case)
    made, lifted = uow.events.emitted
    assert (made.event_type, lifted.event_type) == (DECISION_MADE, DECISION_LIFTED)
    assert made.data["consequence"]["kind"] == "suspension_remobilisation"
    assert made.data["household_size"] == 2 and lifted.data["reason"] == "remobilised"
    assert "garde" not in str(made.data) and "Absent" not in str(made.data)  # no observation, no evidence
    assert case.changes == []  # published once


def test_reads_made_for_a_control_are_told_once_the_procedure_closes_never_before():
    case = open_case("rsa", "obligation")
    uow = SimpleNamespace(events=RecordedEvents(SCHEMAS), held=HeldFake())
    record_read(uow, AUTHORITY, case, "case", "control", later(1))
    record_read(uow, REFERENT, case, "case", "accompaniment", later(1))
    assert [e.data["purpose"] for e in uow.events.of_type(ACCESS_RECORDED)] == ["accompaniment"]

    case.record_observations("Pas reçu la convocation.", None, "departement-44", later(2))
    case.give_opinion("sanction", None, "departement-44", later(3))
    record_read(uow, AUTHORITY, case, "case", "control", later(3))
    publish_changes(uow, case)  # still open: nothing released
    assert len(uow.events.of_type(ACCESS_RECORDED)) == 1 and len(uow.held.rows) == 2

    case.decide(True, 2, None, "departement-44", later(4))
    publish_changes(uow, case)
    told = uow.events.of_type(ACCESS_RECORDED)
    assert [(e.data["purpose"], e.data["at"]) for e in told[1:]] == [
        ("control", later(1).isoformat()), ("control", later(3).isoformat())]  # when they happened, in order
    assert uow.held.rows == []
    record_read(uow, AUTHORITY, case, "case", "control", later(5))  # once closed, told at once
    assert len(uow.events.of_type(ACCESS_RECORDED)) == 4
