"""The person's own door to their sanction cases (/v1/me/sanction-cases) on SQLite and PostgreSQL with
the real broker: their cases only, observations within the period and marked as theirs, and the reads
the authority made for the control told to their access log once the procedure closes, never before."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.sanctions.published import ACCESSES
from services.sanctions.tests.integration.support import Clock
from services.sanctions.tests.integration.test_sanctions import DEP, FT, act, known_person

pytestmark = pytest.mark.integration
ME = "/v1/me/sanction-cases"


def reported_case(service, tokens, person) -> dict:
    body = {"person_id": person, "obligation": "carry_out_actions", "source": "referent_report",
            "evidence": "Aucune action engagée.", "occurred_at": "2026-03-01T10:00:00Z"}
    reported = service.post("/v1/sanctions/lapses", json=body, headers=tokens.headers(FT))
    assert reported.status_code == 201, reported.text
    return reported.json()["case"]


def test_a_person_sees_and_answers_their_own_cases_and_learns_of_control_reads_once_closed(
        service, database_url, broker, tokens):
    person = known_person(database_url, broker)
    case = reported_case(service, tokens, person)
    me, stranger = tokens.person_headers(person), tokens.person_headers(str(uuid.uuid4()))
    accesses = broker.end_offsets(ACCESSES.address)

    # An organisation never passes the person's door; another person sees nothing of this case.
    assert service.get(ME, headers=tokens.headers(DEP)).status_code == 403
    assert service.get(ME, headers=stranger).json() == {"items": []}
    assert service.get(f"{ME}/{case['id']}", headers=stranger).status_code == 404
    assert service.post(f"{ME}/{case['id']}/observations", json={"text": "x"}, headers=stranger).status_code == 404
    assert service.get(f"/v1/sanctions/cases/{case['id']}", headers=me).status_code == 403

    # The authority reads for the control; then the referent, for the accompaniment: told at once.
    assert service.get(f"/v1/sanctions/cases/{case['id']}", headers=tokens.headers(DEP)).status_code == 200
    assert service.get(f"/v1/sanctions/cases/{case['id']}", headers=tokens.headers(FT)).status_code == 200
    [told] = broker.events(ACCESSES.address, accesses, person, 1)
    assert told["data"]["purpose"] == "accompaniment"  # the control read, earlier, was held back

    [mine] = service.get(ME, headers=me).json()["items"]
    assert mine["id"] == case["id"] and [s["kind"] for s in mine["timeline"]] == ["lapse_recorded", "notice_sent"]
    sent = service.post(f"{ME}/{case['id']}/observations", json={"text": "Mon adresse a changé."},
                        headers={**me, "Idempotency-Key": "mes-observations"})
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "awaiting_opinion" and sent.json()["observations"]["sent_by"] == "person"
    again = service.post(f"{ME}/{case['id']}/observations", json={"text": "Encore."}, headers=me)
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert again.json()["deadline"] == case["observation_ends_at"].replace("Z", "+00:00")

    assert act(service, tokens, case, "opinion", {"recommendation": "no_sanction"}).status_code == 200
    assert act(service, tokens, case, "decision", {"sanction": False}).status_code == 200  # the case closes
    # The département's three reads while the case ran (its GET, and one before each command for the
    # ETag), held until the decision closed it, then told with when they happened.
    told = broker.events(ACCESSES.address, accesses, person, 4)
    purposes = [(e["data"]["purpose"], e["data"]["by"]["org_id"]) for e in told]
    assert purposes == [("accompaniment", "ft-agence-44-nantes-est")] + [("control", "departement-44")] * 3
    assert told[1]["data"]["at"] < told[0]["data"]["at"]


def test_observations_after_the_period_are_refused_with_its_deadline(service, database_url, broker, tokens):
    person = known_person(database_url, broker)
    case = reported_case(service, tokens, person)
    service.app.state.sanction_cases.clock = Clock(utcnow() + timedelta(days=31))
    late = service.post(f"{ME}/{case['id']}/observations", json={"text": "En retard."},
                        headers=tokens.person_headers(person))
    assert late.status_code == 409
    assert "ended on" in late.json()["detail"] and late.json()["deadline"]
    [mine] = service.get(ME, headers=tokens.person_headers(person)).json()["items"]
    assert mine["observations"] is None and mine["status"] == "observation"
