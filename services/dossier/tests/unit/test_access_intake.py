"""Accesses other services tell the dossier join the person's one access-log timeline."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from services.core.access_log import access_recorded
from services.core.events import Envelope
from services.core.identity import Caller
from services.dossier.service.access_intake import record_told_access
from services.dossier.tests.fakes import SCHEMAS, unit_of_work
from services.registration.published import ACCESS_RECORDED

AT = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
ANGERS = Caller("departement-49", "departement-49", "departement", ("49",), frozenset())


def test_a_refused_registration_attempt_is_kept_with_who_when_which_service_and_why():
    person_id, uow = str(uuid.uuid4()), unit_of_work()
    event = Envelope(type=ACCESS_RECORDED.name, source="registration", subject=person_id, data=access_recorded(
        person_id, ANGERS, service="registration", action="register", access="refused", sections=["identity"],
        purpose=None, reason="The NIR given is this person's, already registered.", at=AT))
    SCHEMAS.validate(event.to_dict())
    record_told_access(uow, event)
    [entry] = uow.dossiers.accesses(person_id, None, 10)
    assert (entry.access, entry.sections, entry.purpose, entry.at, entry.service) == (
        "refused", ["identity"], None, AT, "registration")
    assert entry.by == {"client_id": "departement-49", "org_id": "departement-49", "org_type": "departement"}
    assert "NIR" in entry.reason
