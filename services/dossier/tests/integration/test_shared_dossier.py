"""The shared dossier on SQLite and PostgreSQL, fed by real Kafka events, read and written by the demo partners."""
from __future__ import annotations

import json
import time
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from services.core.access_log import access_recorded
from services.core.db import utcnow
from services.core.events import Envelope, SchemaRegistry
from services.core.identity import Caller
from services.core.settings import REPO_ROOT
from services.dossier.api import examples
from services.dossier.domain.reviews import add_months
from services.dossier.published import CONTRACT_SIGNED, DIAGNOSTIC_COMPLETED, DOSSIERS, REVIEW_RECORDED
from services.dossier.tests.builders import (
    APPOINTMENTS, DECISIONS, REGISTRATIONS, appointment, decision, registration, send, wait_for_sections,
)
from services.registration.published import ACCESS_RECORDED

pytestmark = pytest.mark.integration

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
TOPIC = DOSSIERS.address
FT, ML, DEP, CAF, TEMP, ADMIN = ("ft-agence-nantes", "mission-locale-nantes", "departement-44", "caf-44",
                                 "interim-ouest", "platform-admin")
ALL_SECTIONS = {"identity", "rsa_status", "orientation", "appointments", "diagnostic", "contract", "reviews"}
HEALTH_NOTE = "Chronic back pain: no standing jobs"


def oriented_person(broker, database_url) -> str:
    """A registered RSA recipient with a health barrier, oriented to the Nantes mission locale, booked."""
    person_id = str(uuid.uuid4())
    send(broker, REGISTRATIONS, registration(person_id))
    send(broker, DECISIONS, decision(person_id))
    send(broker, APPOINTMENTS, appointment(person_id, str(uuid.uuid4())))
    wait_for_sections(database_url, person_id, lambda v: {"identity", "orientation", "appointments"} <= set(v))
    return person_id


def url(person_id: str, tail: str = "", purpose: str | None = "accompaniment") -> str:
    return f"/v1/dossiers/{person_id}{tail}" + (f"?purpose={purpose}" if purpose else "")


def test_partners_share_one_dossier_each_seeing_what_the_policy_allows(service, tokens, broker, database_url):
    since = broker.end_offsets(TOPIC)
    person_id = oriented_person(broker, database_url)
    as_ml, as_ft = tokens.headers(ML), tokens.headers(FT)

    missing_purpose = service.get(url(person_id, purpose=None), headers=as_ml)
    assert missing_purpose.status_code == 422 and missing_purpose.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in missing_purpose.json()["errors"]] == ["query.purpose"]
    assert service.get(url(person_id, purpose="curiosity"), headers=as_ml).status_code == 422

    empty = service.get(url(person_id, "/diagnostic"), headers=as_ml)
    assert empty.status_code == 200 and empty.headers["ETag"] == '"0"' and empty.json() == {"completed_at": None}

    # The diagnostic: written by the referent; France Travail's concurrent write on the same version loses.
    diagnostic = {**examples.DIAGNOSTIC_PATCH, "overall_situation": {
        **examples.DIAGNOSTIC_PATCH["overall_situation"], "health": HEALTH_NOTE}}
    assert service.patch(url(person_id, "/diagnostic", None), json=diagnostic, headers=as_ml).status_code == 428
    written = service.patch(url(person_id, "/diagnostic", None), json=diagnostic, headers={**as_ml, "If-Match": '"0"'})
    assert written.status_code == 200, written.text
    assert written.headers["ETag"] == '"1"' and written.json()["completed_at"] is not None
    assert written.json()["overall_situation"]["health"] == HEALTH_NOTE
    stale = service.patch(url(person_id, "/diagnostic", None), json={"skills": {"summary": "Overwritten?"}},
                          headers={**as_ft, "If-Match": '"0"'})
    assert stale.status_code == 412 and stale.headers["content-type"] == "application/problem+json"
    reread = service.get(url(person_id, "/diagnostic"), headers=as_ft)
    assert reread.headers["ETag"] == '"1"' and reread.json()["skills"] == examples.DIAGNOSTIC_PATCH["skills"]
    assert "health" not in reread.json()["overall_situation"]  # France Travail is not the referent here
    health_by_ft = service.patch(url(person_id, "/diagnostic", None), json={"overall_situation": {"health": "none"}},
                                 headers={**as_ft, "If-Match": '"1"'})
    assert health_by_ft.status_code == 403
    unknown_field = service.patch(url(person_id, "/diagnostic", None), json={"skills": {"level": 3}},
                                  headers={**as_ft, "If-Match": '"1"'})
    assert unknown_field.status_code == 422 and unknown_field.json()["errors"][0]["field"] == "skills.level"
    by_ft = service.patch(url(person_id, "/diagnostic", None), json={"labour_market": {"offers_proposed": 3}},
                          headers={**as_ft, "If-Match": reread.headers["ETag"]})
    assert by_ft.status_code == 200 and by_ft.headers["ETag"] == '"2"'

    # The contract: written, then signed by the person at the mission locale; the département only reads it.
    assert service.patch(url(person_id, "/contract", None), json=examples.CONTRACT_PATCH,
                         headers={**tokens.headers(DEP), "If-Match": '"0"'}).status_code == 403
    contract = service.patch(url(person_id, "/contract", None), json=examples.CONTRACT_PATCH,
                             headers={**as_ml, "If-Match": '"0"'})
    assert contract.status_code == 200 and contract.headers["ETag"] == '"1"' and contract.json()["signature"] is None
    signature = {"channel": "on_site"}
    signed = service.post(url(person_id, "/contract/signature", None), json=signature,
                          headers={**as_ml, "If-Match": '"1"', "Idempotency-Key": f"sign-{person_id}"})
    assert signed.status_code == 200, signed.text
    assert signed.headers["ETag"] == '"2"' and signed.json()["signature"]["channel"] == "on_site"
    assert signed.json()["signature"]["version"] == 2 and signed.json()["jeunes_mention"] is True
    retried = service.post(url(person_id, "/contract/signature", None), json=signature,
                           headers={**as_ml, "Idempotency-Key": f"sign-{person_id}"})
    assert retried.json() == signed.json() and retried.headers["Idempotent-Replayed"] == "true"
    assert service.post(url(person_id, "/contract/signature", None), json=signature, headers=as_ml).status_code == 409

    # A point d'étape: created once per Idempotency-Key; France Travail is not the referent and may not record one.
    review = {**examples.REVIEW_CREATE, "held_at": (utcnow() - timedelta(hours=1)).isoformat()}
    key = {"Idempotency-Key": f"review-{person_id}"}
    recorded = service.post(url(person_id, "/reviews", None), json=review, headers={**as_ml, **key})
    assert recorded.status_code == 201, recorded.text
    replayed = service.post(url(person_id, "/reviews", None), json=review, headers={**as_ml, **key})
    assert replayed.headers["Location"] == recorded.headers["Location"] and replayed.json() == recorded.json()
    reused = service.post(url(person_id, "/reviews", None), json={**review, "outcome": "contract_updated"},
                          headers={**as_ml, **key})
    assert reused.status_code == 409
    assert service.post(url(person_id, "/reviews", None), json=review, headers=as_ft).status_code == 403
    location = recorded.headers["Location"]
    assert service.get(f"{location}?purpose=accompaniment", headers=as_ml).json() == recorded.json()

    # Each demo client reads the dossier: exactly the sections the policy gives it.
    purposes = {FT: "accompaniment", ML: "accompaniment", DEP: "rsa_entitlement", CAF: "rsa_entitlement",
                ADMIN: "control"}
    views = {}
    for client, purpose in purposes.items():
        answer = service.get(url(person_id, purpose=purpose), headers=tokens.headers(client))
        assert answer.status_code == 200, (client, answer.text)
        views[client] = answer.json()
    sections = {client: set(view) - {"person_id", "etags"} for client, view in views.items()}
    # The person's correction requests and the reminders that failed to reach them are for the referent (issue 15).
    assert sections == {FT: ALL_SECTIONS, ML: ALL_SECTIONS | {"corrections", "failed_reminders"}, ADMIN: ALL_SECTIONS,
                        CAF: {"rsa_status"},
                        DEP: {"identity", "rsa_status", "orientation", "appointments", "contract", "reviews"}}
    assert views[ML]["identity"]["barriers"]["health"] is True
    assert views[ML]["diagnostic"]["overall_situation"]["health"] == HEALTH_NOTE
    for client in (FT, DEP, ADMIN):
        assert "health" not in views[client]["identity"]["barriers"] and HEALTH_NOTE not in json.dumps(views[client])
    assert views[CAF]["rsa_status"]["contract_signed_at"] == signed.json()["signature"]["signed_at"]
    assert views[ML]["orientation"]["current"]["referent"]["org_id"] == "ml-nantes-metropole"
    assert views[ML]["etags"]["diagnostic"] == '"2"' and views[ML]["etags"]["contract"] == '"2"'
    assert views[ML]["reviews"]["review_overdue"] is False
    assert service.get(url(person_id, "/diagnostic", "rsa_entitlement"), headers=tokens.headers(CAF)).status_code == 403
    assert service.get(url(person_id, "/diagnostic", "control"), headers=tokens.headers(DEP)).status_code == 403
    assert service.get(url(person_id, "/access-log", "control"), headers=tokens.headers(DEP)).status_code == 403
    assert service.get(url(person_id), headers=tokens.headers(TEMP)).status_code == 403  # no dossier scope
    assert service.get(url(person_id), headers=tokens.headers(TEMP, scopes={"dossier:read"})).status_code == 404
    assert service.get(url(str(uuid.uuid4())), headers=as_ft).status_code == 404

    # History: who changed what; France Travail sees it without the health note.
    history = service.get(url(person_id, "/history"), headers=as_ml).json()["items"]
    assert [(h["section"], h["action"], h["by"]["org_id"]) for h in history] == [
        ("reviews", "recorded", "ml-nantes-metropole"), ("contract", "signed", "ml-nantes-metropole"),
        ("contract", "patched", "ml-nantes-metropole"), ("diagnostic", "patched", "ft-agence-44-nantes-est"),
        ("diagnostic", "patched", "ml-nantes-metropole")]
    assert history[-1]["changes"]["overall_situation"]["health"] == HEALTH_NOTE
    ft_history = service.get(url(person_id, "/history"), headers=as_ft).json()["items"]
    assert HEALTH_NOTE not in json.dumps(ft_history) and len(ft_history) == 5
    first_page = service.get(url(person_id, "/history") + "&limit=2", headers=as_ml).json()
    second_page = service.get(url(person_id, "/history") + f"&limit=2&cursor={first_page['next_cursor']}",
                              headers=as_ml).json()
    assert [h["id"] for h in first_page["items"] + second_page["items"]] == [h["id"] for h in history[:4]]

    # The access log: every read with its purpose, every write, newest first.
    log = service.get(url(person_id, "/access-log") + "&limit=100", headers=as_ft).json()["items"]
    entries = [(e["by"]["org_id"], e["access"], tuple(e["sections"]), e["purpose"]) for e in log]
    for client, purpose in purposes.items():
        org = {FT: "ft-agence-44-nantes-est", ML: "ml-nantes-metropole", DEP: "departement-44", CAF: "caf-44",
               ADMIN: "france-travail-dsi"}[client]
        assert (org, "read", tuple(sorted(sections[client], key=list(examples.SECTIONS).index)), purpose) in entries
    assert ("ml-nantes-metropole", "write", ("diagnostic",), None) in entries
    assert ("ft-agence-44-nantes-est", "read", ("history",), "accompaniment") in entries
    refused = {("caf-44", "read", ("diagnostic",), "rsa_entitlement"), ("interim-ouest", "read", tuple(ALL_SECTIONS), "accompaniment")}
    assert not refused & set(entries)  # a refused read shows nothing
    assert [e["id"] for e in log] == sorted((e["id"] for e in log), reverse=True)

    # Events: one per milestone, each valid against schemas/, none carrying health details.
    def mine(messages):
        return [m for m in messages if m.key.decode() == person_id]
    messages = mine(broker.read(TOPIC, since, lambda ms: len(mine(ms)) >= 3))
    envelopes = [json.loads(m.value) for m in messages]
    for envelope in envelopes:
        SCHEMAS.validate(envelope)
        assert envelope["subject"] == person_id and "health" not in json.dumps(envelope["data"])
    assert [e["type"] for e in envelopes] == [DIAGNOSTIC_COMPLETED.name, CONTRACT_SIGNED.name, REVIEW_RECORDED.name]
    assert envelopes[0]["data"]["fields_filled"] == list(examples.DIAGNOSTIC_PATCH)
    assert envelopes[1]["data"]["referent"] == {"org_type": "mission_locale", "org_id": "ml-nantes-metropole"}

    # Seven months without a review: the dossier flags it.
    dossiers = service.app.state.dossiers
    dossiers.clock = lambda: utcnow() + timedelta(days=7 * 31)
    late = service.get(url(person_id, "/reviews"), headers=as_ml).json()
    # Six months after the latest of the signature and the review (the review, held an hour before the
    # signature, falls on the day before it when the test runs just after midnight).
    anchor = max(date.fromisoformat(recorded.json()["held_at"][:10]),
                 date.fromisoformat(signed.json()["signature"]["signed_at"][:10]))
    assert late == {**late, "review_overdue": True, "next_review_due": add_months(anchor, 6).isoformat()}

    # The journals are append-only in the database itself. (Checked here rather than in a test of its
    # own: each new app replays every topic from offset 0 before it sees this person.)
    engine = create_engine(database_url)
    try:
        for statement in ("UPDATE dossier_access_log SET purpose = 'control'", "DELETE FROM dossier_access_log",
                          "UPDATE dossier_changes SET org_id = 'x'", "DELETE FROM dossier_changes"):
            with pytest.raises(DBAPIError, match="append-only"):
                with engine.begin() as conn:
                    conn.execute(text(f"{statement} WHERE person_id = '{person_id}'"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM dossier_changes WHERE person_id = :p"),
                                {"p": person_id}).scalar() == len(history)
    finally:
        engine.dispose()


def test_the_access_log_holds_what_other_services_told_of_the_person(service, tokens, broker, database_url):
    person_id = oriented_person(broker, database_url)
    angers = Caller("departement-49", "departement-49", "departement", ("49",), frozenset())
    told = Envelope(type=ACCESS_RECORDED.name, source="registration", subject=person_id, data=access_recorded(
        person_id, angers, service="registration", action="register", access="refused", sections=["identity"],
        purpose=None, reason="The NIR given is this person's, already registered.", at=utcnow()))
    send(broker, ACCESS_RECORDED.topic.address, told)

    def told_entries():
        log = service.get(url(person_id, "/access-log"), headers=tokens.headers(ML))
        assert log.status_code == 200, log.text
        return [e for e in log.json()["items"] if e["service"] == "registration"]

    deadline = time.monotonic() + 120
    while not told_entries() and time.monotonic() < deadline:
        time.sleep(0.5)
    [entry] = told_entries()
    assert (entry["access"], entry["by"]["org_id"], entry["sections"]) == ("refused", "departement-49", ["identity"])
    assert "NIR" in entry["reason"]
