"""A service tells an organisation's accesses through one table of its actions: one event per person
touched, each valid against its schema; the person's own accesses are not told."""
from __future__ import annotations

from datetime import datetime, timezone

from services.core.access_log import AccessTeller
from services.core.events import EventType, SchemaRegistry, Topic
from services.core.identity import Caller
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents

AT = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
TOLD = EventType("offers.person.access_recorded.v1", Topic("offers.accesses.v1"))
TELLER = AccessTeller(TOLD, "offers", {"list_saved_searches": ("read", ("saved_searches",))})
AGENCY = Caller("ft-agence-nantes", "ft-agence-44-nantes-est", "france_travail", ("44",), frozenset())
CAMILLE, DOMINIQUE = "0b7e7c1e-6d4b-4f1e-9a53-5d7f3c1f2a10", "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"


def test_a_list_tells_each_person_it_shows_once():
    events = RecordedEvents(SchemaRegistry(REPO_ROOT / "schemas"))
    TELLER.tell(events, AGENCY, [CAMILLE, DOMINIQUE, CAMILLE], "list_saved_searches", AT)
    assert [e.subject for e in events.of_type(TOLD)] == [CAMILLE, DOMINIQUE]
    first = events.emitted[0].data
    assert (first["service"], first["action"], first["access"], first["sections"], first["purpose"]) == (
        "offers", "list_saved_searches", "read", ["saved_searches"], None)
    assert first["by"] == {"client_id": "ft-agence-nantes", "org_id": "ft-agence-44-nantes-est",
                           "org_type": "france_travail"}


def test_the_persons_own_access_is_not_told():
    events = RecordedEvents()
    TELLER.tell(events, Caller.person(CAMILLE), [CAMILLE], "list_saved_searches", AT)
    assert events.emitted == []


def test_what_the_caller_was_shown_is_told_where_it_depends_on_who_asks():
    events = RecordedEvents(SchemaRegistry(REPO_ROOT / "schemas"))
    TELLER.tell(events, AGENCY, [CAMILLE], "list_saved_searches", AT, shown=["identity", "address"])
    assert events.emitted[0].data["sections"] == ["identity", "address"]
