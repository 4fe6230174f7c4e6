"""Deadlines the clock reveals: an overdue point d'étape and a contract unsigned after the diagnostic,
each raised once per occurrence, on a clock the test gives."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.dossier.api import examples
from services.dossier.domain.follow_up import DEFAULT_SIGNATURE_DELAY_DAYS, review_overdue, signature_late
from services.dossier.published import CONTRACT_UNSIGNED, REVIEW_OVERDUE
from services.dossier.service.handlers import DossierService
from services.dossier.tests.unit.conftest import ML, NOW

DELAY = timedelta(days=DEFAULT_SIGNATURE_DELAY_DAYS)


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def test_a_review_is_overdue_the_day_after_it_was_due():
    due = on("2027-05-23T00:00:00").date()
    assert not review_overdue(due, on("2027-05-23T23:59:00"))
    assert review_overdue(due, on("2027-05-24T00:00:00"))
    assert not review_overdue(None, on("2030-01-01T00:00:00"))


def test_a_signature_is_late_once_the_delay_after_the_diagnostic_ran_out_unsigned():
    completed = on("2026-11-23T10:00:00")
    assert not signature_late(completed, False, completed + DELAY - timedelta(seconds=1), DELAY)
    assert signature_late(completed, False, completed + DELAY, DELAY)
    assert not signature_late(completed, True, completed + DELAY, DELAY)
    assert not signature_late(None, False, completed + DELAY, DELAY)


@pytest.fixture
def diagnosed(service, uow, person_id) -> str:
    """The test_handlers person, whose diagnostic the mission locale completed at NOW."""
    service.patch(uow, ML, person_id, "diagnostic", dict(examples.DIAGNOSTIC_PATCH), '"0"')
    return person_id


def follow_up(service, uow, person: str, now: datetime) -> int:
    return service.follow_up(uow, person, now, DELAY)


def test_an_unsigned_contract_is_told_once_when_the_delay_has_run_out(service, uow, diagnosed):
    person_id = diagnosed
    assert follow_up(service, uow, person_id, NOW + DELAY - timedelta(minutes=1)) == 0
    assert follow_up(service, uow, person_id, NOW + DELAY) == 1
    assert follow_up(service, uow, person_id, NOW + DELAY * 3) == 0  # the same diagnostic: never twice

    [unsigned] = uow.events.of_type(CONTRACT_UNSIGNED)
    assert unsigned.subject == person_id
    assert unsigned.data["diagnostic_completed_at"] == NOW.isoformat()
    assert unsigned.data["signature_due"] == (NOW + DELAY).isoformat()
    assert unsigned.data["referent"] == {"org_type": "mission_locale", "org_id": "ml-nantes-metropole"}
    assert (unsigned.data["departement_code"], unsigned.data["rsa_recipient"]) == ("44", True)


def test_a_contract_signed_in_time_raises_nothing(service, uow, diagnosed):
    person_id = diagnosed
    service.patch(uow, ML, person_id, "contract", dict(examples.CONTRACT_PATCH), '"0"')
    service.sign(uow, ML, person_id, "on_site", '"1"')
    assert follow_up(service, uow, person_id, NOW + DELAY * 2) == 0
    assert uow.events.of_type(CONTRACT_UNSIGNED) == [] and uow.events.of_type(REVIEW_OVERDUE) == []


def test_an_overdue_review_is_told_once_per_due_date(service, uow, diagnosed):
    person_id = diagnosed
    service.patch(uow, ML, person_id, "contract", dict(examples.CONTRACT_PATCH), '"0"')
    service.sign(uow, ML, person_id, "on_site", '"1"')  # signed on 2026-11-23: review due 2027-05-23

    assert follow_up(service, uow, person_id, on("2027-05-23T18:00:00")) == 0
    assert follow_up(service, uow, person_id, on("2027-05-24T06:00:00")) == 1
    assert follow_up(service, uow, person_id, on("2027-06-30T06:00:00")) == 0

    held = {**examples.REVIEW_CREATE, "held_at": "2027-07-01T09:00:00+00:00"}
    reviewing = DossierService(validators=service.validators, clock=lambda: on("2027-07-01T10:00:00"))
    reviewing.record_review(uow, ML, person_id, str(uuid.uuid4()), held)  # the next one: due 2028-01-01
    assert follow_up(service, uow, person_id, on("2027-12-31T06:00:00")) == 0
    assert follow_up(service, uow, person_id, on("2028-01-02T06:00:00")) == 1

    first, second = uow.events.of_type(REVIEW_OVERDUE)
    assert (first.data["next_review_due"], first.data["last_review_at"]) == ("2027-05-23", None)
    assert (second.data["next_review_due"], second.data["last_review_at"]) == ("2028-01-01", "2027-07-01T09:00:00+00:00")
    assert first.data["signed_at"] == NOW.isoformat()
