"""The profile bank on SQLite and PostgreSQL, fed by real Kafka events, used by the demo partners:
a profile built from events, consent per audience and its revocation, search filters and facets,
pseudonyms per organisation, the interest check, contact released once, contributions, the quota,
the access log; every result, match and event scanned for forbidden fields."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest

from services.dossier.published import DOSSIERS
from services.offers.published import OFFERS
from services.orientation.published import DECISIONS
from services.profiles.published import INTRODUCTIONS, PROFILES
from services.profiles.tests.builders import (
    NOW, STATEMENT, decision, diagnostic, forbidden_in, offer, registration,
)
from services.registration.published import PERSONS
from tests.support.polling import table_rows

pytestmark = pytest.mark.integration

ML, FT, TEMP, OTHER_TEMP, EMPLOYER, AFPA = ("mission-locale-nantes", "ft-agence-nantes", "interim-ouest",
                                            "interim-loire", "hotel-atlantique", "afpa-pays-de-la-loire")


def send(broker, topic, *envelopes) -> None:
    for envelope in envelopes:
        broker.produce(topic.address, envelope.subject, envelope.to_json())


def registered_and_oriented(broker, database_url, commune="44109") -> str:
    person_id = str(uuid.uuid4())
    send(broker, PERSONS, registration(person_id, commune=commune))
    send(broker, DECISIONS, decision(person_id))
    send(broker, DOSSIERS, diagnostic(person_id))
    table_rows(database_url, "SELECT referent_org_id, document FROM profiles WHERE person_id = :p", {"p": person_id},
               lambda rows: rows and rows[0][0] == "ml-nantes-metropole"
               and "diagnostic" in (rows[0][1] if isinstance(rows[0][1], dict) else json.loads(rows[0][1]))["facts"],
               timeout=300.0)
    return person_id


def manage(service, tokens, person_id, statement=STATEMENT, audiences=("temp_agencies",)) -> dict:
    as_ml = tokens.headers(ML)
    read = service.get(f"/v1/profiles/persons/{person_id}", headers=as_ml)
    assert read.status_code == 200, read.text
    stated = service.patch(f"/v1/profiles/persons/{person_id}/statement", json=statement,
                           headers={**as_ml, "If-Match": read.headers["ETag"]})
    assert stated.status_code == 200, stated.text
    for audience in audiences:
        granted = service.post(f"/v1/profiles/persons/{person_id}/consents",
                               json={"audience": audience, "method": "on_site"}, headers=as_ml)
        assert granted.status_code == 201, granted.text
    return granted.json()


def search(service, tokens, client, **params) -> dict:
    answer = service.get("/v1/profiles", params=params, headers=tokens.headers(client))
    assert answer.status_code == 200, answer.text
    assert forbidden_in(answer.json()) == []
    return answer.json()


def pseudonyms(page: dict) -> list[str]:
    return [item["pseudonym"] for item in page["items"]]


def test_a_profile_is_built_from_events_published_with_consent_and_found_pseudonymously(
        service, tokens, broker, database_url):
    since = broker.end_offsets(PROFILES.address)
    person_id = registered_and_oriented(broker, database_url)
    assert service.get(f"/v1/profiles/persons/{person_id}", headers=tokens.headers(FT)).status_code == 200
    assert service.get(f"/v1/profiles/persons/{person_id}", headers=tokens.headers(AFPA)).status_code == 403
    managed = manage(service, tokens, person_id)
    assert managed["facts"]["driving_licence"]["provenance"]["source"] == "registration"
    assert managed["facts"]["rome_codes"]["provenance"] == {**managed["facts"]["rome_codes"]["provenance"],
                                                           "source": "person", "org_id": "ml-nantes-metropole"}
    assert managed["facts"]["diagnostic"]["provenance"]["source"] == "diagnostic"

    page = search(service, tokens, TEMP, rome_codes=["D1102"], skills=["petrissage", "soudure"], commune_code="44109",
                  radius_km=20, contract_types=["MIS"], languages=["en"], driving_licence=True,
                  available_by=(NOW + timedelta(days=1)).date().isoformat(), working_time="full_time")
    hit = next(item for item in page["items"] if item["skills"] == ["Pétrissage", "Façonnage"])
    assert hit["match"]["score"] == round(2 / 3, 3)
    assert {c["criterion"] for c in hit["match"]["criteria"]} >= {"rome_codes", "skills", "place", "languages"}
    assert {f["value"] for f in page["facets"]["rome_codes"]} >= {"D1102"}
    assert page["facets"]["departement_code"][0]["value"] == "44"
    # Each filter excludes when it does not hold.
    for miss in ({"rome_codes": ["A1101"]}, {"skills": ["soudure"]}, {"commune_code": "49007", "radius_km": 20},
                 {"contract_types": ["CDD"]}, {"languages": ["de"]},
                 {"available_by": (NOW - timedelta(days=30)).date().isoformat()}):
        assert hit["pseudonym"] not in pseudonyms(search(service, tokens, TEMP, **miss))

    # Another organisation gets another pseudonym for the same person, and cannot use the first one.
    other = search(service, tokens, OTHER_TEMP, rome_codes=["D1102"], skills=["petrissage"])
    assert hit["pseudonym"] not in pseudonyms(other)
    assert service.get(f"/v1/profiles/{hit['pseudonym']}", headers=tokens.headers(OTHER_TEMP)).status_code == 404
    # Employers: no consent to that audience, so nothing.
    assert hit["skills"] not in [item["skills"] for item in search(service, tokens, EMPLOYER, rome_codes=["D1102"],
                                                                   skills=["petrissage"])["items"]
                                 if item["pseudonym"] == hit["pseudonym"]]
    events = broker.events(PROFILES.address, since, person_id, 1)
    assert [e["type"] for e in events] == ["profiles.profile.published.v1"]
    assert all(forbidden_in(event["data"]) == [] for event in events)


def test_temp_agencies_see_only_people_open_to_temporary_work_and_revocation_hides_at_once(
        service, tokens, broker, database_url):
    person_id = registered_and_oriented(broker, database_url)
    manage(service, tokens, person_id, {**STATEMENT, "contract_types": ["CDI"], "skills": ["Tourage unique"]},
           audiences=("temp_agencies", "employers"))
    assert search(service, tokens, TEMP, skills=["tourage unique"])["items"] == []
    assert len(search(service, tokens, EMPLOYER, skills=["tourage unique"])["items"]) == 1
    revoked = service.delete(f"/v1/profiles/persons/{person_id}/consents/employers", headers=tokens.headers(ML))
    assert revoked.status_code == 200 and revoked.json()["audiences"] == ["temp_agencies"]
    assert search(service, tokens, EMPLOYER, skills=["tourage unique"])["items"] == []
    again = service.delete(f"/v1/profiles/persons/{person_id}/consents/employers", headers=tokens.headers(ML))
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


def test_interest_check_releases_the_contact_once_and_records_the_outcome(service, tokens, broker, database_url):
    since = broker.end_offsets(INTRODUCTIONS.address)
    person_id = registered_and_oriented(broker, database_url)
    manage(service, tokens, person_id, {**STATEMENT, "skills": ["Lamination"]})
    offer_id = str(uuid.uuid4())
    send(broker, OFFERS, offer(offer_id, "interim-ouest"))
    table_rows(database_url, "SELECT 1 FROM kept_offers WHERE offer_id = :o", {"o": offer_id}, bool, timeout=300.0)
    matches = service.get(f"/v1/profiles/offers/{offer_id}/matches", headers=tokens.headers(TEMP))
    assert matches.status_code == 200 and forbidden_in(matches.json()) == []
    pseudonym = next(i["pseudonym"] for i in matches.json()["items"] if i["skills"] == ["Lamination"])
    assert service.get(f"/v1/profiles/offers/{offer_id}/matches", headers=tokens.headers(OTHER_TEMP)).status_code == 404

    as_temp, as_ml = tokens.headers(TEMP), tokens.headers(ML)
    asked = service.post("/v1/profiles/interest-requests", json={"pseudonym": pseudonym, "offer_id": offer_id},
                         headers=as_temp)
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    assert asked.json()["pseudonym"] == pseudonym and asked.json()["person_id"] is None
    assert service.post(f"/v1/profiles/interest-requests/{request_id}/contact", headers=as_temp).status_code == 403
    listed = service.get(f"/v1/profiles/persons/{person_id}/interest-requests", headers=as_ml).json()["items"]
    assert [item["id"] for item in listed] == [request_id]
    answered = service.post(f"/v1/profiles/persons/{person_id}/interest-requests/{request_id}/answer",
                            json={"answer": "interested"}, headers=as_ml)
    assert answered.status_code == 200 and answered.json()["status"] == "interested"

    contact = service.post(f"/v1/profiles/interest-requests/{request_id}/contact", headers=as_temp)
    assert contact.status_code == 200 and contact.json() == {
        "first_name": "Camille", "last_name": "Martin", **STATEMENT["contact"]}
    twice = service.post(f"/v1/profiles/interest-requests/{request_id}/contact", headers=as_temp)
    assert twice.status_code == 409 and twice.json()["type"].endswith("/contact-already-released")
    hired = service.post(f"/v1/profiles/interest-requests/{request_id}/outcome", json={"outcome": "hired"},
                         headers=as_temp)
    assert hired.status_code == 200 and hired.json()["outcome"] == "hired"
    stats = service.get("/v1/profiles/stats", params={"departement_code": "44"}, headers=tokens.headers(FT)).json()
    row = next(r for r in stats["items"] if r["audience"] == "temp_agencies")
    assert row["introductions"] >= 1 and row["hires"] >= 1 and 0 < row["hire_rate"] <= 1

    log = service.get(f"/v1/profiles/persons/{person_id}/access-log", headers=as_ml).json()["items"]
    assert [(e["action"], e["org_id"]) for e in log] == [("contact_release", "interim-ouest")]
    events = broker.events(INTRODUCTIONS.address, since, person_id, 4)
    assert [e["type"] for e in events] == ["profiles.interest.requested.v1", "profiles.interest.answered.v1",
                                           "profiles.introduction.made.v1",
                                           "profiles.introduction.outcome_recorded.v1"]
    assert all(forbidden_in(event["data"]) == [] for event in events)


def test_declined_and_expired_requests_release_nothing(service, tokens, broker, database_url):
    person_id = registered_and_oriented(broker, database_url)
    manage(service, tokens, person_id, {**STATEMENT, "skills": ["Fleurage"]})
    as_temp, as_ml = tokens.headers(TEMP), tokens.headers(ML)
    pseudonym = pseudonyms(search(service, tokens, TEMP, skills=["fleurage"]))[0]
    first = service.post("/v1/profiles/interest-requests", json={"pseudonym": pseudonym, "message": "Mission"},
                         headers=as_temp).json()["id"]
    assert service.post("/v1/profiles/interest-requests", json={"pseudonym": pseudonym, "message": "Again"},
                        headers=as_temp).status_code == 409
    no_reason = service.post(f"/v1/profiles/persons/{person_id}/interest-requests/{first}/answer",
                             json={"answer": "declined"}, headers=as_ml)
    assert no_reason.status_code == 422
    declined = service.post(f"/v1/profiles/persons/{person_id}/interest-requests/{first}/answer",
                            json={"answer": "declined", "reason": "working_hours"}, headers=as_ml)
    assert declined.json()["reason"] == "working_hours"
    assert service.post(f"/v1/profiles/interest-requests/{first}/contact", headers=as_temp).status_code == 403

    second = service.post("/v1/profiles/interest-requests", json={"pseudonym": pseudonym, "message": "Other"},
                          headers=as_temp).json()
    job = next(job for job in service.app.state.platform.jobs if job.name == "interest-expiry")
    job.run(NOW + timedelta(days=30))  # the job's clock, moved past the 7 days
    assert service.get(f"/v1/profiles/interest-requests/{second['id']}", headers=as_temp).json()["status"] == "expired"
    late = service.post(f"/v1/profiles/persons/{person_id}/interest-requests/{second['id']}/answer",
                        json={"answer": "interested"}, headers=as_ml)
    assert late.status_code == 409


def test_contributions_line_by_line_quota_and_access_log(service, tokens, broker, database_url):
    person_id = registered_and_oriented(broker, database_url)
    hidden = registered_and_oriented(broker, database_url)
    manage(service, tokens, person_id, {**STATEMENT, "skills": ["Bassinage"]})
    lines = [{"kind": "mission_completed", "person_id": person_id,
              "value": {"job_title": "Préparateur de commandes", "rome_code": "N1103", "duration_months": 2}},
             {"kind": "skill_validated", "person_id": hidden, "value": "CACES R489"},
             {"kind": "availability", "person_id": person_id, "value": "2027-02-01"}]
    result = service.post("/v1/profiles/contributions", json={"lines": lines}, headers=tokens.headers(OTHER_TEMP))
    assert result.status_code == 200, result.text
    assert [(r["status"], r["reason"]) for r in result.json()["lines"]] == [
        ("accepted", "added"), ("refused", "no_consent_for_your_audience"), ("accepted", "proposed")]
    assert service.post("/v1/profiles/contributions", json={"lines": lines},
                        headers=tokens.headers(TEMP)).status_code == 403  # no profiles:contribute
    managed = service.get(f"/v1/profiles/persons/{person_id}", headers=tokens.headers(ML)).json()
    assert managed["items"]["experiences"][-1]["provenance"]["org_id"] == "interim-loire"
    assert managed["proposals"][0]["field"] == "available_from"

    pseudonym = pseudonyms(search(service, tokens, OTHER_TEMP, skills=["bassinage"]))[0]
    for _ in range(3):
        detail = service.get(f"/v1/profiles/{pseudonym}", headers=tokens.headers(OTHER_TEMP))
        assert detail.status_code == 200 and forbidden_in(detail.json()) == []
    refused = service.get(f"/v1/profiles/{pseudonym}", headers=tokens.headers(OTHER_TEMP))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    log = service.get(f"/v1/profiles/persons/{person_id}/access-log", params={"limit": 2},
                      headers=tokens.headers(ML)).json()
    assert [e["action"] for e in log["items"]] == ["detail_view", "detail_view"] and log["next_cursor"]
    rest = service.get(f"/v1/profiles/persons/{person_id}/access-log", params={"cursor": log["next_cursor"]},
                       headers=tokens.headers(ML)).json()
    assert [e["org_id"] for e in rest["items"]] == ["interim-loire"]
