"""Sanctions control through the gateway (issue 12): an RSA recipient misses two first appointments,
a case opens under the target scale, she answers, the département decides a suspension-remobilisation,
the CAF gets the decision; she comes back, the diagnostic is held and the contract signed, the
suspension is lifted and the CAF is told. Under the current scale, the same journey goes to the
équipe pluridisciplinaire before any decision."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from services.dossier.api import examples as dossier_examples
from services.registration.tests.builders import person
from services.sanctions.published import DECISIONS
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


def oriented_rsa_recipient(stack) -> str:
    ft, dep = stack.client("ft-agence-nantes"), stack.client("departement-44")
    person_id = ft.post("/v1/registrations", json=person()).json()["id"]  # RSA, 25, lives in Nantes (44)
    decision = eventually(lambda: dep.get(f"/v1/orientation/decisions/{person_id}"), lambda a: a.status_code == 200)
    validated = dep.post(f"/v1/orientation/decisions/{person_id}/validate", json={},
                         headers={"If-Match": decision.headers["ETag"]})
    assert validated.status_code == 200, validated.text
    return person_id


def misses_first_appointment(ml, person_id: str) -> None:
    """A slot a few seconds ahead, booked, and recorded missed once it has started."""
    starts_at = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=3)
    slot = ml.post("/v1/orientation/slots", json={"starts_at": starts_at.isoformat(), "duration_minutes": 30,
                                                   "channel": "on_site"})
    assert slot.status_code == 201, slot.text
    booked = ml.post("/v1/orientation/appointments", json={"person_id": person_id, "slot_id": slot.json()["slot_id"]})
    assert booked.status_code == 201, booked.text
    time.sleep(max(0.0, (starts_at - datetime.now(timezone.utc)).total_seconds()) + 1)
    missed = ml.post(f"/v1/orientation/appointments/{booked.json()['appointment_id']}/no-show")
    assert missed.status_code == 200, missed.text


def case_of(client, person_id: str, until) -> dict:
    answer = eventually(lambda: client.get("/v1/sanctions/cases", params={"person": person_id}),
                        lambda a: a.status_code == 200 and until(a.json()["items"]), timeout=120)
    return answer.json()["items"][0]


def act(dep, case_id: str, command: str, body: dict):
    etag = dep.get(f"/v1/sanctions/cases/{case_id}").headers["ETag"]
    return dep.post(f"/v1/sanctions/cases/{case_id}/{command}", json=body, headers={"If-Match": etag})


def switch(stack, version: str) -> None:
    answer = stack.client("platform-admin").put("/v1/sanctions/referentials/44", json={"version": version})
    assert answer.status_code == 200, answer.text


def test_two_missed_first_appointments_then_remobilised_under_the_target_scale(stack, broker):
    dep, ml, caf = (stack.client(c) for c in ("departement-44", "mission-locale-nantes", "caf-44"))
    switch(stack, "target")
    try:
        person_id = oriented_rsa_recipient(stack)
        misses_first_appointment(ml, person_id)
        misses_first_appointment(ml, person_id)
        case = case_of(dep, person_id, lambda items: items)
        assert (case["scale_version"], case["category"], case["status"]) == (
            "target", "initial_appointments_missed", "observation")
        assert case["evaluation"]["equipe_pluridisciplinaire"] is False
        assert caf.get(f"/v1/sanctions/cases/{case['id']}").status_code == 404  # nothing decided yet

        answered = act(dep, case["id"], "observations", {"text": "Je n'avais pas de moyen de garde."})
        assert answered.status_code == 200 and answered.json()["status"] == "awaiting_decision"
        since = broker.end_offsets(DECISIONS.address)
        decided = act(dep, case["id"], "decision", {"sanction": True})
        assert decided.status_code == 200, decided.text
        seen = case_of(caf, person_id, lambda items: items and items[0]["status"] == "notified")
        assert seen["view"] == "decision"
        assert seen["decision"]["consequence"]["kind"] == "suspension_remobilisation"

        # She comes to the next appointment: the diagnostic is held, the contract signed.
        dossier = f"/v1/dossiers/{person_id}"
        eventually(lambda: ml.get(f"{dossier}/orientation?purpose=accompaniment"), lambda a: a.status_code == 200)
        assert ml.patch(f"{dossier}/diagnostic", json=dossier_examples.DIAGNOSTIC_PATCH,
                        headers={"If-Match": '"0"'}).status_code == 200
        assert ml.patch(f"{dossier}/contract", json=dossier_examples.CONTRACT_PATCH,
                        headers={"If-Match": '"0"'}).status_code == 200
        assert ml.post(f"{dossier}/contract/signature", json={"channel": "on_site"}).status_code == 200

        assert case_of(caf, person_id, lambda items: items and items[0]["status"] == "lifted")
        told = [e["type"] for e in broker.events(DECISIONS.address, since, person_id, 2, timeout=60)]
        assert told == ["sanctions.decision.made.v1", "sanctions.decision.lifted.v1"]
    finally:
        switch(stack, "current")


def test_under_the_current_scale_the_equipe_pluridisciplinaire_gives_its_opinion_first(stack):
    dep, ml = stack.client("departement-44"), stack.client("mission-locale-nantes")
    switch(stack, "current")
    person_id = oriented_rsa_recipient(stack)
    misses_first_appointment(ml, person_id)  # one is a lapse under the current scale (L3204)
    case = case_of(dep, person_id, lambda items: items)
    assert (case["scale_version"], case["evaluation"]["rule"], case["evaluation"]["equipe_pluridisciplinaire"]) == (
        "current", "rsa.obligation.level1", True)
    assert act(dep, case["id"], "observations", {"text": "Aucune."}).json()["status"] == "awaiting_opinion"
    assert act(dep, case["id"], "decision", {"sanction": True}).status_code == 409
    assert act(dep, case["id"], "opinion", {"recommendation": "sanction"}).status_code == 200
    decided = act(dep, case["id"], "decision", {"sanction": True, "months": 1, "reduction_percent": 50})
    assert decided.status_code == 200 and decided.json()["decision"]["consequence"]["reduction_percent"] == 50
