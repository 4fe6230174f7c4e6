"""The one health-data policy: where health data sits, who sees it, and no broadcast event carries it."""
from __future__ import annotations

import pytest

from services.core.events import EventType, Topic
from services.core.health_data import (
    REGISTRATION_PATHS, HealthDataLeak, health_keys_in, sees_health, without_health,
)
from services.core.uow import RecordedEvents

SNAPSHOT = {"situation": {"rsa_recipient": True, "rqth": True},
            "pre_diagnostic": {"barriers": {"health": True, "housing": True}}}
BROADCAST = EventType("test.person.told.v1", Topic("test.persons.v1"))
RESTRICTED = EventType("test.person.health.v1", Topic("test.health.v1", health_data=True))


def test_without_health_removes_only_the_health_data_and_leaves_the_original_alone():
    assert without_health(SNAPSHOT, REGISTRATION_PATHS) == {
        "situation": {"rsa_recipient": True}, "pre_diagnostic": {"barriers": {"housing": True}}}
    assert SNAPSHOT["situation"]["rqth"] is True and SNAPSHOT["pre_diagnostic"]["barriers"]["health"] is True


def test_without_health_passes_a_path_that_is_absent_or_not_a_dict():
    document = {"situation": {"rqth": True}, "pre_diagnostic": None}
    assert without_health(document, REGISTRATION_PATHS) == {"situation": {}, "pre_diagnostic": None}
    assert without_health({"pre_diagnostic": {"barriers": ["health"]}}, REGISTRATION_PATHS) == {
        "pre_diagnostic": {"barriers": ["health"]}}


def test_health_keys_are_found_at_any_depth_even_in_lists():
    assert list(health_keys_in({"items": [{"changes": {"overall_situation": {"health": "x"}}}]})) == [
        "items[0].changes.overall_situation.health"]


@pytest.mark.parametrize("relations, sees", [
    ({"referent"}, True), ({"operator", "referent"}, True), ({"operator"}, False), ({"rsa_departement"}, False),
    ({"rsa_caf"}, False), (set(), False)])
def test_health_data_is_for_the_referent_only(relations, sees):
    assert sees_health(relations) is sees


def test_an_event_with_health_data_is_refused_on_a_topic_not_restricted_to_it():
    events = RecordedEvents()
    with pytest.raises(HealthDataLeak, match="situation.rqth"):
        events.emit(BROADCAST, "p", SNAPSHOT)
    events.emit(BROADCAST, "p", without_health(SNAPSHOT, REGISTRATION_PATHS))
    events.emit(RESTRICTED, "p", SNAPSHOT)
    assert [e.event_type for e in events.emitted] == [BROADCAST, RESTRICTED]
