"""The sanctions service on SQLite and PostgreSQL with the real broker: no-shows from orientation open a
case under the territory's scale, the contradictory procedure through the API with If-Match, who sees
what, the decision events those who pay receive, the remobilisation lifted by the dossier's events,
the deadline job on its own clock, and the statistics."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.dossier.published import DOSSIERS
from services.sanctions.app import DEADLINE_JOB
from services.sanctions.published import ACCESSES, DECISIONS
from services.sanctions.tests.builders import (
    contract_signed, contract_unsigned, interview_held, no_show, oriented, registered, review_overdue,
)
from services.sanctions.tests.integration.support import Clock, send
from tests.support.polling import table_rows as wait_for

pytestmark = pytest.mark.integration
DOSSIERS_DLQ = f"{DOSSIERS.address}.dlq"

DEP, CAF, FT, FT_DIRECTION, ML, ADMIN = ("departement-44", "caf-44", "ft-agence-nantes", "ft-agence-nantes-direction",
                                         "mission-locale-nantes", "platform-admin")
FORBIDDEN = ("nir", "birth_date", "health", "evidence", "observations", "opinion", "last_name", "Durand")


def known_person(database_url, broker, *, rsa: bool = True) -> str:
    person = str(uuid.uuid4())
    send(broker, registered(person, rsa=rsa), oriented(person))
    # Both facts: they travel on two topics, and a busy broker may deliver one well after the other.
    wait_for(database_url, "select departement_code, referent_org_id from person_facts where person_id = :p",
             {"p": person}, lambda rows: rows and tuple(rows[0]) == ("44", "ft-agence-44-nantes-est"))
    return person


def cases_of(service, tokens, person, client_id=DEP):
    answer = service.get("/v1/sanctions/cases", params={"person": person}, headers=tokens.headers(client_id))
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def act(service, tokens, case, command, body, client_id=DEP):
    return service.post(f"/v1/sanctions/cases/{case['id']}/{command}", json=body,
                        headers={**tokens.headers(client_id), "If-Match": f'"{_version(service, tokens, case)}"'})


def _version(service, tokens, case):
    return service.get(f"/v1/sanctions/cases/{case['id']}", headers=tokens.headers(DEP)).headers["ETag"].strip('"')


def test_two_missed_initial_appointments_then_remobilisation_lifted(service, database_url, broker, tokens):
    clock = Clock(utcnow())
    service.app.state.sanction_cases.clock = clock
    switched = service.put("/v1/sanctions/referentials/44", json={"version": "target"}, headers=tokens.headers(ADMIN))
    assert switched.status_code == 200 and switched.json()["version"] == "target"
    person = known_person(database_url, broker)

    send(broker, no_show(person))
    wait_for(database_url, "select count(*) from sanction_lapses where person_id = :p", {"p": person},
             lambda rows: rows[0][0] == 1)
    assert cases_of(service, tokens, person) == []  # the target scale waits for the second (L3349)
    send(broker, no_show(person))
    wait_for(database_url, "select count(*) from sanction_cases where person_id = :p", {"p": person},
             lambda rows: rows[0][0] == 1)
    [case] = cases_of(service, tokens, person)
    assert (case["regime"], case["scale_version"], case["status"], case["category"]) == (
        "rsa", "target", "observation", "initial_appointments_missed")
    assert case["evaluation"]["equipe_pluridisciplinaire"] is False

    # Nobody else sees anything; the CAF nothing before a decision; the referent sees its person's case.
    for outsider in (ML, CAF):
        assert service.get(f"/v1/sanctions/cases/{case['id']}", headers=tokens.headers(outsider)).status_code == 404
    assert cases_of(service, tokens, person, CAF) == []
    assert service.get(f"/v1/sanctions/cases/{case['id']}", headers=tokens.headers(FT)).json()["view"] == "case"

    early = act(service, tokens, case, "decision", {"sanction": True})
    assert early.status_code == 409 and early.headers["content-type"] == "application/problem+json"
    no_etag = service.post(f"/v1/sanctions/cases/{case['id']}/observations", json={"text": "Pas reçu."},
                           headers=tokens.headers(DEP))
    assert no_etag.status_code == 428
    stale = service.post(f"/v1/sanctions/cases/{case['id']}/observations", json={"text": "Pas reçu."},
                         headers={**tokens.headers(DEP), "If-Match": '"99"'})
    assert stale.status_code == 412
    answered = act(service, tokens, case, "observations", {"text": "Je n'ai pas reçu la convocation."})
    assert answered.status_code == 200 and answered.json()["status"] == "awaiting_decision"

    since = broker.end_offsets(DECISIONS.address)
    decided = act(service, tokens, case, "decision", {"sanction": True})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "notified"
    [made] = broker.events(DECISIONS.address, since, person, 1)
    assert made["type"] == "sanctions.decision.made.v1"
    assert made["data"]["consequence"]["kind"] == "suspension_remobilisation"
    assert not [word for word in FORBIDDEN if word in str(made["data"])]

    caf_view = service.get(f"/v1/sanctions/cases/{case['id']}", headers=tokens.headers(CAF)).json()
    assert caf_view["view"] == "decision" and caf_view["timeline"] is None and caf_view["decision"]

    clock.now += timedelta(days=20)
    send(broker, interview_held(person, clock.now), contract_signed(person, clock.now + timedelta(minutes=30)))
    wait_for(database_url, "select status from sanction_cases where person_id = :p", {"p": person},
             lambda rows: rows[0][0] == "lifted")
    kinds = [e["type"] for e in broker.events(DECISIONS.address, since, person, 2)]
    assert kinds == ["sanctions.decision.made.v1", "sanctions.decision.lifted.v1"]
    timeline = service.get(f"/v1/sanctions/cases/{case['id']}", headers=tokens.headers(DEP)).json()["timeline"]
    assert [s["kind"] for s in timeline][-3:] == ["interview_held", "contract_signed", "lifted"]


def test_reported_lapse_under_the_current_scale_goes_to_the_equipe_once_the_period_ends(
        service, database_url, broker, tokens):
    person = known_person(database_url, broker)
    accesses = broker.end_offsets(ACCESSES.address)
    body = {"person_id": person, "obligation": "carry_out_actions", "source": "referent_report",
            "evidence": "Aucune action engagée.", "occurred_at": "2026-03-01T10:00:00Z", "household_size": 3}
    refused = service.post("/v1/sanctions/lapses", json=body, headers=tokens.headers(DEP, {"sanctions:read"}))
    assert refused.status_code == 403  # the scope
    future = service.post("/v1/sanctions/lapses", json={**body, "occurred_at": "2099-01-01T00:00:00Z"},
                          headers=tokens.headers(FT))
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "occurred_at"
    reported = service.post("/v1/sanctions/lapses", json=body, headers=tokens.headers(FT))
    assert reported.status_code == 201, reported.text
    case = reported.json()["case"]
    assert (case["scale_version"], case["evaluation"]["rule"], case["evaluation"]["observation_days"]) == (
        "current", "rsa.obligation.level1", 30)
    assert case["evaluation"]["consequence"]["max_reduction_percent"] == 50  # a household of three
    assert act(service, tokens, case, "decision", {"sanction": True}, FT).status_code == 403  # the referent decides nothing

    job = next(j for j in service.app.state.platform.jobs if j.name == DEADLINE_JOB)
    job.run(utcnow() + timedelta(days=29))
    assert cases_of(service, tokens, person)[0]["status"] == "observation"
    job.run(utcnow() + timedelta(days=31))
    assert cases_of(service, tokens, person)[0]["status"] == "awaiting_opinion"
    assert act(service, tokens, case, "decision", {"sanction": True}).status_code == 409
    assert act(service, tokens, case, "opinion", {"recommendation": "sanction"}).status_code == 200
    assert act(service, tokens, case, "decision", {"sanction": True, "months": 2}).status_code == 200
    assert act(service, tokens, case, "appeal", {"kind": "hierarchical"}).status_code == 422
    assert act(service, tokens, case, "appeal", {"kind": "mandatory_prior_appeal_pcd"}).status_code == 200
    annulled = act(service, tokens, case, "annul", {"reason": "Recours admis."})
    assert annulled.json()["status"] == "annulled"

    logged = broker.events(ACCESSES.address, accesses, person, 1)
    assert logged[0]["data"]["service"] == "sanctions" and logged[0]["data"]["purpose"]
    stats = service.get("/v1/sanctions/stats", headers=tokens.headers(DEP)).json()
    assert any(row["obligation"] == "carry_out_actions" for row in stats["lapses"])
    assert any(row["outcome"] == "annulled" for row in stats["cases"])
    assert service.get("/v1/sanctions/stats", params={"territory": "49"},
                       headers=tokens.headers(DEP)).status_code == 403


def test_scale_evaluation_and_the_admin_only_switch(service, tokens):
    answer = service.post("/v1/sanctions/scale/evaluate", headers=tokens.headers(CAF), json={
        "regime": "jobseeker", "category": "false_statement", "previous_sanctions": 0, "household_size": 1})
    assert answer.status_code == 200 and answer.json()["consequence"]["months_max"] == 12
    unknown = service.post("/v1/sanctions/scale/evaluate", headers=tokens.headers(CAF), json={
        "regime": "cej", "category": "missed_appointment"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "category"
    assert service.put("/v1/sanctions/referentials/44", json={"version": "target"},
                       headers=tokens.headers(DEP)).status_code == 403
    assert service.get("/v1/sanctions/referentials/44", headers=tokens.headers(DEP)).json()["version"] == "current"


def test_the_dossiers_missed_deadlines_become_system_lapses_once_each(service, database_url, broker, tokens):
    person = known_person(database_url, broker)
    parked_since = broker.end_offsets(DOSSIERS_DLQ)
    overdue, unsigned = review_overdue(person, "2026-09-02"), contract_unsigned(person)
    # Each told twice: redelivered as it was, and again under a new event id as a replay from scratch would.
    send(broker, overdue, overdue, contract_unsigned(person), review_overdue(person, "2026-09-02"), unsigned)
    lapses = wait_for(database_url, "select obligation, source, recorded_by, case_id from sanction_lapses"
                      " where person_id = :p order by obligation", {"p": person}, lambda rows: len(rows) == 2)
    assert [row[:3] for row in lapses] == [("attend_appointment", "system", "system"),
                                           ("sign_contract", "system", "system")]
    # A first lapse opens a case, the second joins it: never a sanction straight away.
    [case] = cases_of(service, tokens, person)
    assert {row[3] for row in lapses} == {case["id"]}
    # The next occurrence, on the same partition: once it is in, every duplicate above was handled.
    send(broker, review_overdue(person, "2027-03-02"))
    wait_for(database_url, "select count(*) from sanction_lapses where person_id = :p", {"p": person},
             lambda rows: rows[0][0] == 3)
    parked = broker.read(DOSSIERS_DLQ, parked_since, lambda messages: False, timeout=2)
    assert [m for m in parked if m.key and m.key.decode() == person] == []  # replays skipped, not failed
