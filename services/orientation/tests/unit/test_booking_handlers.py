"""First-appointment use cases on in-memory fakes: who books which slot, no-shows, reminders."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.errors import Conflict, Forbidden, InvalidTransition, NotFound, RuleBroken
from services.core.identity import Caller
from services.core.referentials.geo import default_geo
from services.orientation.adapters.files import load_directory
from services.orientation.domain.appointments import SlotTaken
from services.orientation.published import APPOINTMENT_BOOKED, APPOINTMENT_NO_SHOW, APPOINTMENT_REMINDER_DUE
from services.orientation.service.appointments import AppointmentService
from services.orientation.service.handlers import OrientationService
from services.orientation.tests.builders import NOW, registered_event
from services.orientation.tests.fakes import fake_transactions, fake_unit_of_work

SCOPES = frozenset({"orientation:read", "orientation:decide"})
AGENCY = Caller("ft-agence-nantes", "ft-agence-44-nantes-est", "france_travail", ("44",), SCOPES)
MISSION_LOCALE = Caller("mission-locale-nantes", "ml-nantes-metropole", "mission_locale", ("44",), SCOPES)
CAF = Caller("caf-44", "caf-44", "caf", ("44",), SCOPES)


@pytest.fixture
def uow():
    return fake_unit_of_work()


@pytest.fixture
def appointments() -> AppointmentService:
    return AppointmentService(clock=lambda: NOW)


def oriented(uow, **person) -> str:
    """A person oriented by the rules towards the Nantes Est agency (or an interview, per `person`)."""
    data = registered_event(registered_at=NOW.isoformat(), **person)
    OrientationService(directory=load_directory(), geo=default_geo(), clock=lambda: NOW).on_person(uow, data)
    uow.events.emitted.clear()
    return data["registration_id"]


def slot(appointments, uow, caller=AGENCY, days_ahead: int = 5) -> str:
    return appointments.publish_slot(uow, caller, str(uuid.uuid4()), NOW + timedelta(days=days_ahead), 45, "on_site",
                                     None).slot_id


def test_a_slot_starts_in_the_future_and_belongs_to_an_accompanying_organisation(appointments, uow):
    with pytest.raises(RuleBroken) as past:
        slot(appointments, uow, days_ahead=0)
    assert past.value.field == "starts_at"
    with pytest.raises(Forbidden):
        slot(appointments, uow, CAF)


def test_booking_in_the_referents_slot_publishes_the_delay(appointments, uow):
    person_id = oriented(uow)
    appointment = appointments.book(uow, AGENCY, str(uuid.uuid4()), person_id, slot(appointments, uow))
    assert (appointment.status, appointment.delay_days) == ("booked", 5)
    assert not appointment.slot.available  # the answer shows the slot as the booking left it
    [booked] = uow.events.of_type(APPOINTMENT_BOOKED)
    assert (booked.subject, booked.data["within_target"], booked.data["booked_by"]) == (
        person_id, True, "ft-agence-44-nantes-est")


def test_booking_refusals(appointments, uow):
    person_id, other = oriented(uow), oriented(uow)
    with pytest.raises(NotFound):
        appointments.book(uow, MISSION_LOCALE, str(uuid.uuid4()), person_id, slot(appointments, uow))
    with pytest.raises(RuleBroken) as elsewhere:
        appointments.book(uow, AGENCY, str(uuid.uuid4()), person_id, slot(appointments, uow, MISSION_LOCALE))
    assert elsewhere.value.field == "slot_id"
    with pytest.raises(InvalidTransition):
        appointments.book(uow, AGENCY, str(uuid.uuid4()), oriented(uow, pre_diagnostic=None), slot(appointments, uow))

    taken = slot(appointments, uow)
    appointments.book(uow, AGENCY, str(uuid.uuid4()), person_id, taken)
    with pytest.raises(SlotTaken) as conflict:
        appointments.book(uow, AGENCY, str(uuid.uuid4()), other, taken)
    assert isinstance(conflict.value, Conflict) and conflict.value.slug == "slot-taken"
    with pytest.raises(InvalidTransition) as twice:
        appointments.book(uow, AGENCY, str(uuid.uuid4()), person_id, slot(appointments, uow, days_ahead=6))
    assert "record a no-show before booking another" in twice.value.message
    assert len(uow.events.of_type(APPOINTMENT_BOOKED)) == 1


def test_a_no_show_once_the_appointment_has_started(appointments, uow):
    person_id = oriented(uow)
    appointment_id = appointments.book(uow, AGENCY, str(uuid.uuid4()), person_id, slot(appointments, uow)).appointment_id
    with pytest.raises(InvalidTransition):
        appointments.record_no_show(uow, AGENCY, appointment_id)

    appointments.clock = lambda: NOW + timedelta(days=5, minutes=10)
    missed = appointments.record_no_show(uow, AGENCY, appointment_id)
    assert missed.status == "no_show"
    [no_show] = uow.events.of_type(APPOINTMENT_NO_SHOW)
    assert (no_show.data["recorded_by"], no_show.data["rsa_recipient"]) == ("ft-agence-44-nantes-est", False)
    with pytest.raises(InvalidTransition):
        appointments.record_no_show(uow, AGENCY, appointment_id)
    # Missed: another first appointment may now be booked.
    appointments.book(uow, AGENCY, str(uuid.uuid4()), person_id, slot(appointments, uow, days_ahead=7))


def test_each_reminder_is_sent_once(appointments, uow):
    appointments.book(uow, AGENCY, str(uuid.uuid4()), oriented(uow), slot(appointments, uow))
    starts_at, transactions = NOW + timedelta(days=5), fake_transactions(uow)
    for hours_before in (47, 46, 1, 0.5):
        appointments.send_due_reminders(transactions, starts_at - timedelta(hours=hours_before))
    assert [e.data["reminder"] for e in uow.events.of_type(APPOINTMENT_REMINDER_DUE)] == ["48h", "2h"]
