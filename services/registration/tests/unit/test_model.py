from datetime import datetime, timezone

import pytest

from services.core.errors import InvalidTransition
from services.registration.domain import events
from services.registration.domain.model import PRE_REGISTERED, REGISTERED, Registration, Territory

NOW = datetime(2026, 11, 23, tzinfo=timezone.utc)
NANTES = Territory("44109", "44", "52")


def test_a_direct_registration_is_registered_and_tells_it():
    registration = Registration.new("r1", {"identity": {"birth_date": "1990-01-01"}}, NANTES, "counter", NOW)
    assert registration.status == REGISTERED and registration.registered_at == NOW
    assert registration.events == [events.PersonRegistered("r1"), events.ContactChanged("r1")]


def test_a_pre_registration_tells_nothing_until_confirmed_once():
    registration = Registration.new("r2", {}, NANTES, "partner_prefill", NOW, pre_registration=True)
    assert registration.status == PRE_REGISTERED and registration.events == []
    registration.confirm({"identity": {"birth_date": "1990-01-01"}}, NANTES, NOW)
    assert registration.status == REGISTERED and registration.version == 2
    assert registration.events == [events.PersonRegistered("r2"), events.ContactChanged("r2")]
    with pytest.raises(InvalidTransition):
        registration.confirm({}, NANTES, NOW)


def test_a_correction_bumps_the_version_and_is_told_only_once_registered():
    pre = Registration.new("r3", {}, NANTES, "partner_prefill", NOW, pre_registration=True)
    pre.correct({"contact": {}}, NANTES, NOW)
    assert pre.version == 2 and pre.events == []
    registered = Registration.new("r4", {}, NANTES, "counter", NOW)
    registered.events.clear()
    registered.correct({"contact": {}}, NANTES, NOW)
    assert registered.events == [events.PersonUpdated("r4")]


def test_a_change_of_contact_is_told_on_its_own_besides_the_update():
    registered = Registration.new("r5", {"contact": {"email": "a@example.org"}}, NANTES, "counter", NOW)
    registered.events.clear()
    # A contact kept before opt-outs existed is the same contact with none.
    registered.correct({"contact": {"email": "a@example.org", "opted_out_channels": []}}, NANTES, NOW)
    assert registered.events == [events.PersonUpdated("r5")]
    registered.events.clear()
    registered.correct({"contact": {"email": "a@example.org", "opted_out_channels": ["sms"]}}, NANTES, NOW)
    assert registered.events == [events.PersonUpdated("r5"), events.ContactChanged("r5")]
