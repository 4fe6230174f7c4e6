"""The person's own door on SQLite and PostgreSQL with the real broker (issue 15): Camille reads her
dossier (health data included), sees who read it in every service (a control read once its procedure
closed, never before), asks a correction her referent answers; an organisation's token gets 403 there,
and another person's token reaches nothing of hers."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from services.core.access_log import access_recorded
from services.core.db import utcnow
from services.core.events import Envelope, SchemaRegistry
from services.core.identity import Caller
from services.core.settings import REPO_ROOT
from services.dossier.api import examples
from services.dossier.domain.journal import WITHHELD_UNTIL_CLOSED_NOTE
from services.dossier.tests.integration.test_shared_dossier import oriented_person, url
from services.dossier.tests.builders import wait_for_sections
from services.dossier.tests.unit.test_person_door import failed_reminder
from services.notifications.published import MESSAGE_FAILED
from services.sanctions.published import ACCESS_RECORDED as SANCTIONS_ACCESS
from tests.support.polling import eventually

pytestmark = pytest.mark.integration

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
ML, FT, ADMIN = "mission-locale-nantes", "ft-agence-nantes", "platform-admin"
DEP_CALLER = Caller("departement-44", "departement-44", "departement", ("44",), frozenset())
PROBLEM = "application/problem+json"


def control_read_told_by_sanctions(person_id: str) -> Envelope:
    """As sanctions tells a read made for a control: held back, then published as the case closes."""
    at = utcnow()
    event = Envelope(type=SANCTIONS_ACCESS.name, source="sanctions", subject=person_id, time=at, data=access_recorded(
        person_id, DEP_CALLER, service="sanctions", action="read_case", access="read", sections=["case"],
        purpose="control", reason=None, at=at - timedelta(days=12)))
    SCHEMAS.validate(event.to_dict())
    return event


def test_the_person_reads_their_dossier_and_who_read_it_and_asks_corrections(service, tokens, broker, database_url):
    person_id = oriented_person(broker, database_url)
    me, as_ml = tokens.person_headers(person_id), tokens.headers(ML)

    # The door: the person's token only; an organisation's, admin included, is refused; no token is a 401.
    for client in (ML, ADMIN):
        refused = service.get("/v1/me/dossier", headers=tokens.headers(client))
        assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert service.get("/v1/me/access-log").status_code == 401
    diagnostic = {"overall_situation": {"health": "Pas de station debout prolongée"}}
    assert service.patch(url(person_id, "/diagnostic", None), json=diagnostic,
                         headers={**as_ml, "If-Match": '"0"'}).status_code == 200

    mine = service.get("/v1/me/dossier", headers=me)
    assert mine.status_code == 200, mine.text
    view = mine.json()
    assert view["person_id"] == person_id and view["identity"]["first_names"] == ["Camille"]
    assert view["identity"]["barriers"]["health"] is True  # her health data is hers to see
    assert view["diagnostic"]["overall_situation"]["health"] == diagnostic["overall_situation"]["health"]
    assert {o["code"] for o in view["contract"]["obligations_in_force"]} >= {"attend_appointment", "sign_contract"}
    # Someone else's token reaches nothing of hers: the person is the token's, never the URL's.
    stranger = tokens.person_headers(str(uuid.uuid4()))
    assert service.get("/v1/me/dossier", headers=stranger).status_code == 404
    assert service.get("/v1/me/access-log", headers=stranger).json()["items"] == []

    # Who read it: the referent's read, and the control reads once their procedure closed.
    assert service.get(url(person_id), headers=as_ml).status_code == 200
    assert service.get(url(person_id, purpose="control"), headers=tokens.headers(FT)).status_code == 200
    broker.produce(SANCTIONS_ACCESS.topic.address, person_id, control_read_told_by_sanctions(person_id).to_json())
    log = eventually(lambda: service.get("/v1/me/access-log", headers=me),
                     lambda answer: any(e["service"] == "sanctions" for e in answer.json()["items"]), timeout=120)
    page = log.json()
    assert page["withheld_until_closed_note"] == WITHHELD_UNTIL_CLOSED_NOTE
    seen = [(e["by"]["org_id"], e["access"], e["purpose"], e["service"]) for e in page["items"]]
    assert seen == [("departement-44", "read", "control", "sanctions"),
                    ("ml-nantes-metropole", "read", "accompaniment", "dossier"),
                    ("ml-nantes-metropole", "write", None, "dossier")]
    assert [e["sections"] for e in page["items"]][::2] == [["case"], ["diagnostic"]]
    assert page["items"][0]["procedure_closed_at"] is not None
    # France Travail's control read in the dossier: its procedure is not known closed, so not shown.
    assert all(e["by"]["org_type"] != "france_travail" for e in page["items"])
    first = service.get("/v1/me/access-log?limit=2", headers=me).json()
    rest = service.get(f"/v1/me/access-log?limit=2&cursor={first['next_cursor']}", headers=me).json()
    assert [e["id"] for e in first["items"] + rest["items"]] == [e["id"] for e in page["items"]]
    assert rest["next_cursor"] is None

    # A correction: asked once per Idempotency-Key, shown to the referent, answered once, its outcome hers.
    ask = {"section": "diagnostic", "field": "professional_project.mobility", "message": "J'ai le permis B."}
    key = {"Idempotency-Key": f"correction-{person_id}"}
    asked = service.post("/v1/me/corrections", json=ask, headers={**me, **key})
    assert asked.status_code == 201, asked.text
    assert service.post("/v1/me/corrections", json=ask, headers={**me, **key}).json() == asked.json()
    assert service.post("/v1/me/corrections", json={**ask, "section": "rsa_status"}, headers=me).status_code == 422
    assert service.post("/v1/me/corrections", json=ask, headers=as_ml).status_code == 403
    correction_id = asked.json()["correction_id"]
    assert asked.headers["Location"] == f"/v1/me/corrections/{correction_id}"
    assert service.get(asked.headers["Location"], headers=me).json()["status"] == "open"
    referent_view = service.get(url(person_id), headers=as_ml).json()
    assert [c["message"] for c in referent_view["corrections"]["items"]] == [ask["message"]]

    answer_url = url(person_id, f"/corrections/{correction_id}/answer", None)
    answer = {"outcome": "accepted", "answer": "C'est corrigé dans votre diagnostic."}
    assert service.post(answer_url, json=answer, headers=tokens.headers(FT)).status_code == 403  # not the referent
    answered = service.post(answer_url, json=answer, headers=as_ml)
    assert answered.status_code == 200, answered.text
    again = service.post(answer_url, json={**answer, "outcome": "refused"}, headers=as_ml)
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    assert service.post(url(person_id, f"/corrections/{uuid.uuid4()}/answer", None), json=answer,
                        headers=as_ml).status_code == 404
    listed = service.get("/v1/me/corrections", headers=me).json()
    assert [(c["status"], c["answer"], c["answered_by"]["org_id"]) for c in listed["items"]] == [
        ("accepted", answer["answer"], "ml-nantes-metropole")]
    # The answer is the referent's write of her data: her access log says so.
    newest = service.get("/v1/me/access-log?limit=1", headers=me).json()["items"][0]
    assert (newest["by"]["org_id"], newest["access"], newest["sections"]) == ("ml-nantes-metropole", "write",
                                                                             ["corrections"])
    assert service.get("/v1/me/corrections", headers=stranger).status_code == 404


def test_a_reminder_notifications_gave_up_on_shows_in_the_referents_view(service, tokens, broker, database_url):
    person_id = oriented_person(broker, database_url)
    told = failed_reminder(person_id, channel="email")
    broker.produce(MESSAGE_FAILED.topic.address, person_id, told.to_json())
    wait_for_sections(database_url, person_id, lambda versions: "failed_reminders" in versions)
    [shown] = service.get(url(person_id), headers=tokens.headers(ML)).json()["failed_reminders"]["items"]
    assert (shown["message_id"], shown["channel"], shown["error"]) == (told.data["message_id"], "email", "http 503")
    assert service.get(url(person_id, "/failed_reminders"), headers=tokens.headers(ML)).json() == {"items": [shown]}
    assert service.get("/v1/me/dossier", headers=tokens.person_headers(person_id)).json()["failed_reminders"] == {
        "items": [shown]}
    assert "failed_reminders" not in service.get(url(person_id), headers=tokens.headers(FT)).json()
    assert service.get(url(person_id, "/failed_reminders"), headers=tokens.headers(FT)).status_code == 403
