"""The events a case's changes publish: valid against schemas/, and carrying the consequence and
nothing else about the person."""
from __future__ import annotations

from types import SimpleNamespace

from services.core.events import SchemaRegistry
from services.core.settings import ServiceSettings
from services.core.uow import RecordedEvents
from services.sanctions.published import DECISION_LIFTED, DECISION_MADE
from services.sanctions.service.publishing import publish_changes
from services.sanctions.tests.builders import later, open_case

SCHEMAS = SchemaRegistry(ServiceSettings.from_env("sanctions").schemas_dir)


def test_a_remobilisation_decided_then_lifted_tells_the_payer_the_consequence_only():
    case = open_case("rsa", "initial_appointments_missed", version="target", household=2)
    case.record_observations("Pas de garde d'enfant ce jour-là.", None, "departement-44", later(1))
    case.decide(True, None, None, "departement-44", later(2))
    case.record_reengagement("interview_held", later(5), later(5))
    case.record_reengagement("contract_signed", later(6), later(6))
    uow = SimpleNamespace(events=RecordedEvents(SCHEMAS))
    publish_changes(uow, case)
    made, lifted = uow.events.emitted
    assert (made.event_type, lifted.event_type) == (DECISION_MADE, DECISION_LIFTED)
    assert made.data["consequence"]["kind"] == "suspension_remobilisation"
    assert made.data["household_size"] == 2 and lifted.data["reason"] == "remobilised"
    assert "garde" not in str(made.data) and "Absent" not in str(made.data)  # no observation, no evidence
    assert case.changes == []  # published once
