"""Issue 9, findings 2 and 3 on in-memory fakes: a NIR is no oracle of person ids, and health data
leaves the registration service only on the topic restricted to the services entitled to it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.core.errors import LimitReached
from services.core.health_data import health_keys_in
from services.registration.domain.model import AlreadyRegistered
from services.registration.published import ACCESS_RECORDED, PERSON_HEALTH, PERSON_REGISTERED, PERSON_UPDATED
from services.registration.tests.fakes import fake_unit_of_work
from services.registration.tests.unit.test_use_cases import (
    AGENCY, FIRST, NOW, PERSON, SECOND, SERVICE, broadcast, caller, current, register, sections,
)

ANGERS = caller("departement", ("49",))  # writes registrations, may not see a person living in 44


def refusals(uow) -> list:
    """The accesses told as refused (the holder's registration itself is told as a write)."""
    return [event for event in uow.events.of_type(ACCESS_RECORDED) if event.data["access"] == "refused"]


def test_a_conflict_names_the_holder_only_to_a_caller_that_may_see_them():
    uow = fake_unit_of_work()
    body = sections()
    register(uow, body, registration_id=FIRST)
    with pytest.raises(AlreadyRegistered) as refused:
        register(uow, body, by=ANGERS, registration_id=SECOND)
    assert refused.value.existing_id == FIRST  # kept for the access log, never shown
    assert refused.value.details == {} and FIRST not in refused.value.message


def test_a_conflict_is_told_to_the_holder_s_access_log_and_counted_against_the_client():
    uow = fake_unit_of_work()
    body = sections()
    register(uow, body, registration_id=FIRST)
    with pytest.raises(AlreadyRegistered) as refused:
        register(uow, body, by=ANGERS, registration_id=SECOND)
    SERVICE.record_nir_conflict(uow, ANGERS, refused.value, "register")  # validated against its schema
    [access] = refusals(uow)
    assert access.subject == FIRST
    assert {k: access.data[k] for k in ("person_id", "service", "action", "access", "sections")} == {
        "person_id": FIRST, "service": "registration", "action": "register", "access": "refused",
        "sections": ["identity"]}
    assert access.data["by"] == {"client_id": ANGERS.client_id, "org_id": ANGERS.org_id, "org_type": "departement"}
    assert uow.nir_conflicts.since(ANGERS.client_id, NOW - timedelta(hours=1)) == [NOW]

    with pytest.raises(AlreadyRegistered) as seen:
        register(uow, body, registration_id=SECOND)
    SERVICE.record_nir_conflict(uow, AGENCY, seen.value, "register")
    assert len(refusals(uow)) == 2  # told to the access log all the same,
    assert uow.nir_conflicts.since(AGENCY.client_id, NOW - timedelta(hours=1)) == []  # not counted: no oracle


def test_past_its_allowance_a_client_s_nir_lookups_pause_then_resume():
    uow = fake_unit_of_work()
    body = sections()
    register(uow, body, registration_id=FIRST)
    for minutes in range(SERVICE.nir_allowance.attempts):
        uow.nir_conflicts.record(ANGERS.client_id, NOW - timedelta(minutes=50 - minutes))
    with pytest.raises(LimitReached) as limited:
        register(uow, body, by=ANGERS, registration_id=SECOND)
    assert limited.value.slug == "too-many-nir-conflicts"
    assert limited.value.retry_after_seconds == 10 * 60  # when the oldest of the window leaves it
    register(uow, sections(), registration_id=PERSON)  # another client's allowance is its own

    uow.nir_conflicts.rows = [(client, at - timedelta(minutes=11)) for client, at in uow.nir_conflicts.rows]
    with pytest.raises(AlreadyRegistered):  # the window moved on: the NIR is looked up again
        register(uow, body, by=ANGERS, registration_id=SECOND)


def test_broadcast_events_carry_no_health_data_and_their_restricted_twin_does():
    uow = fake_unit_of_work()
    body = sections(rqth=True)
    body["pre_diagnostic"]["barriers"].update(health=True, housing=True)
    register(uow, body)
    SERVICE.correct(uow, AGENCY, PERSON, {"contact": {"phone": "+33 6 00 00 00 00"}}, current(1))
    assert [e.event_type for e in broadcast(uow)] == [PERSON_REGISTERED, PERSON_UPDATED]
    for event in broadcast(uow):
        assert list(health_keys_in(event.data)) == []
    twins = uow.events.of_type(PERSON_HEALTH)
    assert len(twins) == 2
    for twin in twins:
        assert twin.data["situation"]["rqth"] is True and twin.data["pre_diagnostic"]["barriers"]["health"] is True
        assert twin.data["pre_diagnostic"]["barriers"]["housing"] is True
