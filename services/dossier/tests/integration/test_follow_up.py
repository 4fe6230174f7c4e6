"""The follow-up job on a controlled clock: a contract unsigned after the diagnostic and an overdue
point d'étape are published once each, through the outbox, however often the job runs."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.dossier.api import examples
from services.dossier.app import FOLLOW_UP_JOB
from services.dossier.domain.follow_up import DEFAULT_SIGNATURE_DELAY_DAYS
from services.dossier.published import (
    CONTRACT_SIGNED, CONTRACT_UNSIGNED, DIAGNOSTIC_COMPLETED, DOSSIERS, REVIEW_OVERDUE, REVIEW_RECORDED,
)
from services.dossier.tests.integration.test_shared_dossier import ML, oriented_person, url

pytestmark = pytest.mark.integration

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
TOPIC = DOSSIERS.address


def test_deadlines_nobody_acted_on_are_published_once(service, tokens, broker, database_url):
    since = broker.end_offsets(TOPIC)
    as_ml = tokens.headers(ML)
    unsigned, signed = oriented_person(broker, database_url), oriented_person(broker, database_url)
    for person_id in (unsigned, signed):
        written = service.patch(url(person_id, "/diagnostic", None), json=examples.DIAGNOSTIC_PATCH,
                                headers={**as_ml, "If-Match": '"0"'})
        assert written.status_code == 200, written.text
    assert service.patch(url(signed, "/contract", None), json=examples.CONTRACT_PATCH,
                         headers={**as_ml, "If-Match": '"0"'}).status_code == 200
    assert service.post(url(signed, "/contract/signature", None), json={"channel": "on_site"},
                        headers={**as_ml, "If-Match": '"1"'}).status_code == 200

    job = next(j for j in service.app.state.platform.jobs if j.name == FOLLOW_UP_JOB)
    job.run(utcnow() + timedelta(days=DEFAULT_SIGNATURE_DELAY_DAYS) - timedelta(hours=1))  # not yet
    job.run(utcnow() + timedelta(days=DEFAULT_SIGNATURE_DELAY_DAYS, hours=1))
    seven_months = utcnow() + timedelta(days=7 * 31)
    job.run(seven_months)
    job.run(seven_months)  # a rerun (or a second replica) raises nothing twice
    # A fact recorded after the reruns: the relay publishes in order, so a duplicate would come before it.
    review = {**examples.REVIEW_CREATE, "held_at": (utcnow() - timedelta(hours=1)).isoformat()}
    assert service.post(url(signed, "/reviews", None), json=review, headers=as_ml).status_code == 201

    def of(person_id, messages):
        return [json.loads(m.value) for m in messages if m.key.decode() == person_id]
    messages = broker.read(TOPIC, since, lambda ms: REVIEW_RECORDED.name in [e["type"] for e in of(signed, ms)])
    for envelope in of(unsigned, messages) + of(signed, messages):
        SCHEMAS.validate(envelope)
    assert [e["type"] for e in of(unsigned, messages)] == [DIAGNOSTIC_COMPLETED.name, CONTRACT_UNSIGNED.name]
    assert [e["type"] for e in of(signed, messages)] == [DIAGNOSTIC_COMPLETED.name, CONTRACT_SIGNED.name,
                                                          REVIEW_OVERDUE.name, REVIEW_RECORDED.name]
    late = of(signed, messages)[2]["data"]
    assert late["next_review_due"] == of(signed, messages)[1]["data"]["next_review_due"]
    assert late["referent"] == {"org_type": "mission_locale", "org_id": "ml-nantes-metropole"}
    assert (late["departement_code"], late["rsa_recipient"]) == ("44", True)
