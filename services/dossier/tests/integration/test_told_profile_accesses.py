"""The profile bank's accesses in the person's one timeline, on SQLite and PostgreSQL with the real
broker: a recruiter's detail view and contact release, as profiles tells them (profiles.accesses.v1),
show on the person's /v1/me/access-log with the organisation, purpose and sections; they are no
control reads, so nothing waits for a procedure to close."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.access_log import access_recorded
from services.core.db import utcnow
from services.core.events import Envelope, SchemaRegistry
from services.core.identity import Caller
from services.core.settings import REPO_ROOT
from services.profiles.published import ACCESS_RECORDED as PROFILES_ACCESS
from tests.support.polling import eventually

pytestmark = pytest.mark.integration

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
TEMP = Caller("interim-ouest", "interim-ouest", "temp_agency", ("44",), frozenset())


def told_by_profiles(person_id: str, action: str, sections: list[str], minutes_ago: int) -> Envelope:
    """As profiles tells a recruiter's read (service/accesses.py), checked against its schema."""
    at = utcnow() - timedelta(minutes=minutes_ago)
    event = Envelope(type=PROFILES_ACCESS.name, source="profiles", subject=person_id, time=at, data=access_recorded(
        person_id, TEMP, service="profiles", action=action, access="read", sections=sections,
        purpose="recruitment", reason=None, at=at))
    SCHEMAS.validate(event.to_dict())
    return event


def test_a_recruiters_detail_view_and_contact_release_show_in_the_persons_timeline(service, tokens, broker):
    person_id = str(uuid.uuid4())
    for event in (told_by_profiles(person_id, "detail_view", ["public_profile"], 2),
                  told_by_profiles(person_id, "contact_release", ["identity", "contact"], 1)):
        broker.produce(PROFILES_ACCESS.topic.address, person_id, event.to_json())
    me = tokens.person_headers(person_id)
    log = eventually(lambda: service.get("/v1/me/access-log", headers=me),
                     lambda answer: len(answer.json()["items"]) == 2, timeout=120)
    seen = [(e["service"], e["by"]["org_id"], e["by"]["org_type"], e["access"], e["purpose"], e["sections"],
             e["procedure_closed_at"]) for e in log.json()["items"]]
    assert seen == [("profiles", "interim-ouest", "temp_agency", "read", "recruitment", ["identity", "contact"], None),
                    ("profiles", "interim-ouest", "temp_agency", "read", "recruitment", ["public_profile"], None)]
    # Another person sees none of it.
    assert service.get("/v1/me/access-log", headers=tokens.person_headers(str(uuid.uuid4()))).json()["items"] == []
