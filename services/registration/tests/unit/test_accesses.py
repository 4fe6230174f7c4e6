"""Every organisation's read and write of a registration is told to the person's access log, with the
sections that organisation was given; a refused read and the person's own calls tell nothing."""
from __future__ import annotations

import pytest

from services.core.errors import NotFound
from services.core.identity import Caller
from services.registration.domain.repository import ListQuery
from services.registration.published import ACCESS_RECORDED
from services.registration.tests.fakes import fake_unit_of_work
from services.registration.tests.unit.test_use_cases import (
    AGENCY, CAF, FIRST, NOW, PERSON, SECOND, SERVICE, caller, current, register, sections,
)


def told(uow) -> list[tuple[str, str, str, str, list[str]]]:
    return [(event.subject, event.data["by"]["client_id"], event.data["action"], event.data["access"],
             event.data["sections"]) for event in uow.events.of_type(ACCESS_RECORDED)]


def test_a_registration_and_its_correction_are_told_as_the_agency_s_writes():
    uow = fake_unit_of_work()
    register(uow, sections())
    SERVICE.correct(uow, AGENCY, PERSON, {"project": {"mobility_km": 5}}, current(1))
    every_section = told(uow)[0][4]
    assert "identity" in every_section and "situation" in every_section
    assert told(uow) == [(PERSON, AGENCY.client_id, "register", "write", every_section),
                         (PERSON, AGENCY.client_id, "correct_registration", "write", every_section)]
    assert all(event.data["at"] == NOW.isoformat() for event in uow.events.of_type(ACCESS_RECORDED))


def test_a_caf_s_read_is_told_with_the_three_sections_it_is_given():
    uow = fake_unit_of_work()
    register(uow, sections())
    SERVICE.get(uow, CAF, PERSON)
    assert told(uow)[-1] == (PERSON, CAF.client_id, "read_registration", "read", ["identity", "address", "situation"])


def test_a_list_tells_each_person_it_shows_and_nobody_else():
    uow = fake_unit_of_work()
    register(uow, sections(), registration_id=FIRST)
    register(uow, sections(first_name="Dominique", nir=False), registration_id=SECOND)
    before = len(told(uow))
    page = SERVICE.list(uow, AGENCY, ListQuery(limit=1))
    assert [(subject, action) for subject, _, action, _, _ in told(uow)[before:]] == [
        (page[0].id, "list_registrations")]


def test_a_refused_read_and_the_person_s_own_read_tell_nothing():
    uow = fake_unit_of_work()
    register(uow, sections())
    before = len(told(uow))
    with pytest.raises(NotFound):
        SERVICE.get(uow, caller("temp_agency"), PERSON)
    SERVICE.own(uow, Caller.person(PERSON))
    assert len(told(uow)) == before
