"""The person's own first appointment on fakes: booking in their referent's slots, moving and
cancelling until 24 hours before, and nothing of anyone else's."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.errors import Forbidden, InvalidTransition, NotFound, RuleBroken
from services.core.identity import Caller
from services.orientation.domain.appointments import CHANGE_NOTICE, SlotTaken, TooLateToChange, change_deadline
from services.orientation.published import (
    APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_MOVED, APPOINTMENT_REMINDER_DUE,
)
from services.orientation.service.appointments import AppointmentService
from services.orientation.tests.builders import NOW
from services.orientation.tests.fakes import fake_transactions, fake_unit_of_work
from services.orientation.tests.unit.test_booking_handlers import AGENCY, MISSION_LOCALE, oriented, slot


@pytest.fixture
def uow():
    return fake_unit_of_work()


@pytest.fixture
def appointments() -> AppointmentService:
    return AppointmentService(clock=lambda: NOW)


def booked(appointments, uow, days_ahead=5):
    person = Caller.person(oriented(uow))
    appointment = appointments.book_own(uow, person, str(uuid.uuid4()), slot(appointments, uow, days_ahead=days_ahead))
    return person, appointment


def test_a_person_books_a_free_slot_of_their_referent_as_a_counsellor_would(appointments, uow):
    person = Caller.person(oriented(uow))
    free = slot(appointments, uow)
    slot(appointments, uow, MISSION_LOCALE)  # another organisation's: not offered
    assert [s.slot_id for s in appointments.referent_slots(uow, person, None, 20)] == [free]
    appointment = appointments.book_own(uow, person, str(uuid.uuid4()), free)
    assert appointment.person_id == person.person_id and appointment.booked_by == f"person:{person.person_id}"
    assert uow.events.of_type(APPOINTMENT_BOOKED)[0].subject == person.person_id
    assert appointments.referent_slots(uow, person, None, 20) == []  # one slot, one person
    with pytest.raises(SlotTaken):
        appointments.book_own(uow, Caller.person(oriented(uow)), str(uuid.uuid4()), free)
    with pytest.raises(RuleBroken):
        appointments.book_own(uow, Caller.person(oriented(uow)), str(uuid.uuid4()), slot(appointments, uow, MISSION_LOCALE))


def test_a_person_not_oriented_has_no_referent_slots_nor_booking(appointments, uow):
    stranger = Caller.person(str(uuid.uuid4()))
    with pytest.raises(NotFound):
        appointments.referent_slots(uow, stranger, None, 20)
    with pytest.raises(NotFound):
        appointments.book_own(uow, stranger, str(uuid.uuid4()), slot(appointments, uow))


def test_cancelling_frees_the_slot_and_no_reminder_follows(appointments, uow):
    person, appointment = booked(appointments, uow)
    cancelled = appointments.cancel_own(uow, person, appointment.appointment_id)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at == NOW
    [told] = uow.events.of_type(APPOINTMENT_CANCELLED)
    assert told.data["cancelled_by"] == person.org_id and told.data["slot_id"] == appointment.slot.slot_id
    assert [s.slot_id for s in appointments.referent_slots(uow, person, None, 20)] == [appointment.slot.slot_id]
    appointments.send_due_reminders(fake_transactions(uow), appointment.slot.starts_at - timedelta(hours=1))
    assert uow.events.of_type(APPOINTMENT_REMINDER_DUE) == []
    with pytest.raises(InvalidTransition):
        appointments.cancel_own(uow, person, appointment.appointment_id)
    # The freed slot takes another booking, the person's own included.
    again = appointments.book_own(uow, person, str(uuid.uuid4()), appointment.slot.slot_id)
    assert {(a.appointment_id, a.status) for a in appointments.own_appointments(uow, person)} == {
        (again.appointment_id, "booked"), (appointment.appointment_id, "cancelled")}


def test_moving_takes_the_new_slot_frees_the_old_and_reminds_anew(appointments, uow):
    person, appointment = booked(appointments, uow, days_ahead=3)
    transactions = fake_transactions(uow)
    appointments.send_due_reminders(transactions, appointment.slot.starts_at - timedelta(hours=47))  # 48h sent
    appointments.clock = lambda: NOW + timedelta(hours=1)
    later = slot(appointments, uow, days_ahead=6)
    moved = appointments.move_own(uow, person, appointment.appointment_id, later)
    assert moved.slot.slot_id == later and moved.delay_days == 6 and moved.reminders_sent == frozenset()
    [told] = uow.events.of_type(APPOINTMENT_MOVED)
    assert told.data["previous_slot_id"] == appointment.slot.slot_id and told.data["slot_id"] == later
    assert appointment.slot.slot_id in {s.slot_id for s in appointments.referent_slots(uow, person, None, 20)}
    appointments.send_due_reminders(transactions, moved.slot.starts_at - timedelta(hours=47))
    assert [e.data["starts_at"] for e in uow.events.of_type(APPOINTMENT_REMINDER_DUE)][-1] == told.data["starts_at"]
    with pytest.raises(RuleBroken):  # the slot it is already in
        appointments.move_own(uow, person, appointment.appointment_id, later)


def test_moving_to_a_taken_slot_or_another_organisations_is_refused(appointments, uow):
    person, appointment = booked(appointments, uow)
    _, others = booked(appointments, uow, days_ahead=6)
    with pytest.raises(SlotTaken):
        appointments.move_own(uow, person, appointment.appointment_id, others.slot.slot_id)
    with pytest.raises(RuleBroken):
        appointments.move_own(uow, person, appointment.appointment_id, slot(appointments, uow, MISSION_LOCALE))


def test_no_change_within_24_hours_of_the_start(appointments, uow):
    person, appointment = booked(appointments, uow, days_ahead=2)
    deadline = change_deadline(appointment.slot.starts_at)
    assert deadline == appointment.slot.starts_at - CHANGE_NOTICE
    appointments.clock = lambda: deadline
    with pytest.raises(TooLateToChange) as late:
        appointments.cancel_own(uow, person, appointment.appointment_id)
    assert late.value.details["deadline"] == deadline.isoformat() and "24 hours" in late.value.message
    with pytest.raises(TooLateToChange):
        appointments.move_own(uow, person, appointment.appointment_id, slot(appointments, uow, days_ahead=4))
    appointments.clock = lambda: deadline - timedelta(seconds=1)
    assert appointments.cancel_own(uow, person, appointment.appointment_id).status == "cancelled"


def test_another_persons_appointment_is_unknown(appointments, uow):
    _, appointment = booked(appointments, uow)
    intruder = Caller.person(oriented(uow))
    for attempt in (lambda: appointments.cancel_own(uow, intruder, appointment.appointment_id),
                    lambda: appointments.move_own(uow, intruder, appointment.appointment_id, slot(appointments, uow))):
        with pytest.raises(NotFound):
            attempt()
    assert appointments.own_appointments(uow, intruder) == []
    assert uow.appointments.get(appointment.appointment_id).status == "booked"
    with pytest.raises(Forbidden):  # an organisation is not a person: it has no "own" appointments
        appointments.cancel_own(uow, AGENCY, appointment.appointment_id)
