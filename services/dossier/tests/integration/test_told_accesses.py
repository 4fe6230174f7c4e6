"""Orientation's and offers' accesses to a person's data, told on their topics, show in the person's one
access-log timeline (/v1/me/access-log), on SQLite and PostgreSQL with the real broker: no control
purpose there, so nothing is withheld."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.access_log import access_recorded
from services.core.db import utcnow
from services.core.events import Envelope, EventType
from services.core.identity import Caller
from services.dossier.tests.integration.test_person_door import SCHEMAS
from services.offers.published import ACCESS_RECORDED as OFFERS_ACCESS
from services.orientation.published import ACCESS_RECORDED as ORIENTATION_ACCESS
from tests.support.polling import eventually

pytestmark = pytest.mark.integration

AGENCY = Caller("ft-agence-nantes", "ft-agence-44-nantes-est", "france_travail", ("44",), frozenset())


def told(broker, event_type: EventType, person_id: str, action: str, access: str, sections: list[str], at) -> None:
    """As orientation and offers tell an organisation's access: no purpose, the sections touched."""
    service = event_type.name.split(".")[0]
    event = Envelope(type=event_type.name, source=service, subject=person_id, data=access_recorded(
        person_id, AGENCY, service=service, action=action, access=access, sections=sections, purpose=None,
        reason=None, at=at))
    SCHEMAS.validate(event.to_dict())
    broker.produce(event_type.topic.address, person_id, event.to_json())


def test_orientations_and_offers_accesses_show_in_the_persons_timeline(service, tokens, broker):
    person_id, now = str(uuid.uuid4()), utcnow()
    told(broker, ORIENTATION_ACCESS, person_id, "book_appointment", "write", ["appointments"], now - timedelta(hours=2))
    told(broker, OFFERS_ACCESS, person_id, "read_saved_search", "read", ["saved_searches"], now - timedelta(hours=1))
    log = eventually(lambda: service.get("/v1/me/access-log", headers=tokens.person_headers(person_id)),
                     lambda answer: len(answer.json()["items"]) == 2, timeout=120)
    # Two topics, read in no order between them: the entries, whichever was kept first.
    seen = sorted((e["service"], e["access"], e["sections"], e["purpose"], e["by"]["org_id"], e["procedure_closed_at"])
                  for e in log.json()["items"])
    assert seen == [("offers", "read", ["saved_searches"], None, "ft-agence-44-nantes-est", None),
                    ("orientation", "write", ["appointments"], None, "ft-agence-44-nantes-est", None)]
    assert service.get("/v1/me/access-log", headers=tokens.person_headers(str(uuid.uuid4()))).json()["items"] == []
