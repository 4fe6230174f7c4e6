"""Which of orientation's use cases is which access to the person's data, told for the person's access
log: an organisation's decisions and appointments, never the person's own."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.http import check_if_match
from services.core.identity import Caller
from services.core.referentials.geo import default_geo
from services.orientation.adapters.files import load_directory
from services.orientation.domain.model import Choice
from services.orientation.published import ACCESS_RECORDED
from services.orientation.service.appointments import AppointmentService
from services.orientation.service.handlers import OrientationService
from services.orientation.tests.builders import NOW
from services.orientation.tests.fakes import fake_unit_of_work
from services.orientation.tests.unit.test_booking_handlers import AGENCY, oriented, slot
from services.orientation.tests.unit.test_decision_handlers import FRANCE_TRAVAIL, LOIRE_ATLANTIQUE, registered


@pytest.fixture
def uow():
    return fake_unit_of_work()


@pytest.fixture
def service() -> OrientationService:
    return OrientationService(directory=load_directory(), geo=default_geo(), clock=lambda: NOW)


@pytest.fixture
def appointments() -> AppointmentService:
    return AppointmentService(clock=lambda: NOW)


def told(uow) -> list[tuple]:
    return [(e.subject, e.data["by"]["org_id"], e.data["action"], e.data["access"], e.data["sections"],
             e.data["purpose"]) for e in uow.events.of_type(ACCESS_RECORDED)]


def test_the_departements_decision_is_a_write_of_the_orientation(service, uow):
    person_id = registered(service, uow, rsa=True)
    service.validate(uow, LOIRE_ATLANTIQUE, person_id, None, None, None, lambda v: check_if_match('"1"', v))
    assert told(uow) == [(person_id, "departement-44", "validate_orientation", "write", ["orientation"], None)]


def test_a_no_show_is_a_write_of_the_appointments_the_persons_own_reads_are_not_told(appointments, service, uow):
    person_id = oriented(uow)
    appointment_id = appointments.book(uow, AGENCY, str(uuid.uuid4()), person_id, slot(appointments, uow)).appointment_id
    person = Caller.person(person_id)
    service.own(uow, person)
    appointments.own_appointments(uow, person)
    appointments.own_appointment(uow, person, appointment_id)
    appointments.clock = lambda: NOW + timedelta(days=5, minutes=10)
    appointments.record_no_show(uow, AGENCY, appointment_id)
    assert [(action, access) for _, _, action, access, _, _ in told(uow)] == [
        ("book_appointment", "write"), ("record_no_show", "write")]


def test_an_interview_and_a_preference_are_writes_of_the_orientation(service, uow):
    interviewed = registered(service, uow, pre_diagnostic=None)
    service.record_interview(uow, FRANCE_TRAVAIL, interviewed, Choice("professional", "france_travail", "guided"),
                             None, lambda v: None)
    preferring = registered(service, uow, rsa=True, birth_date="1985-01-01")
    service.state_preference(uow, FRANCE_TRAVAIL, preferring, "france_travail", lambda v: None)
    assert told(uow) == [
        (interviewed, "ft-agence-44-nantes-est", "record_interview", "write", ["orientation"], None),
        (preferring, "ft-agence-44-nantes-est", "state_preference", "write", ["orientation"], None)]
