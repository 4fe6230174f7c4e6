"""From registration to a signed contract, through the gateway, each partner seeing what it may."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.dossier.api import examples as dossier_examples
from services.registration.tests.builders import person
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


def test_an_rsa_recipient_under_26_from_registration_to_signed_contract(stack):
    ft, dep, ml = (stack.client(c) for c in ("ft-agence-nantes", "departement-44", "mission-locale-nantes"))
    person_id = ft.post("/v1/registrations", json=person()).json()["id"]  # RSA, 25, lives in Nantes (44)

    decision = eventually(lambda: dep.get(f"/v1/orientation/decisions/{person_id}"),
                          lambda a: a.status_code == 200)
    assert decision.json()["status"] == "proposed"  # 44 decides itself for RSA recipients
    assert decision.json()["current"]["referent"]["org_id"] == "ml-nantes-metropole"
    validated = dep.post(f"/v1/orientation/decisions/{person_id}/validate", json={},
                         headers={"If-Match": decision.headers["ETag"]})
    assert validated.status_code == 200, validated.text
    assert validated.json()["status"] == "decided"

    starts_at = (datetime.now(timezone.utc) + timedelta(days=5)).replace(microsecond=0).isoformat()
    slot = ml.post("/v1/orientation/slots", json={"starts_at": starts_at, "duration_minutes": 45,
                                                   "channel": "on_site"})
    assert slot.status_code == 201, slot.text
    booked = ml.post("/v1/orientation/appointments", json={"person_id": person_id, "slot_id": slot.json()["slot_id"]})
    assert booked.status_code == 201, booked.text

    dossier = f"/v1/dossiers/{person_id}"
    eventually(lambda: ml.get(f"{dossier}/orientation?purpose=accompaniment"),
               lambda a: a.status_code == 200 and a.json()["current"]["status"] == "decided")
    diagnostic = ml.patch(f"{dossier}/diagnostic", json=dossier_examples.DIAGNOSTIC_PATCH, headers={"If-Match": '"0"'})
    assert diagnostic.status_code == 200, diagnostic.text
    contract = ml.patch(f"{dossier}/contract", json=dossier_examples.CONTRACT_PATCH, headers={"If-Match": '"0"'})
    assert contract.status_code == 200, contract.text
    signed = ml.post(f"{dossier}/contract/signature", json={"channel": "on_site"})
    assert signed.status_code == 200 and signed.json()["signature"]["channel"] == "on_site"

    def sections(client, purpose):
        answer = client.get(f"{dossier}?purpose={purpose}")
        return answer.status_code, set(answer.json()) - {"person_id", "etags"} if answer.status_code == 200 else set()

    status, seen_by_ml = sections(ml, "accompaniment")
    assert status == 200 and {"identity", "orientation", "appointments", "diagnostic", "contract"} <= seen_by_ml
    status, seen_by_dep = sections(dep, "rsa_entitlement")
    assert status == 200 and "contract" in seen_by_dep and "diagnostic" not in seen_by_dep
    assert sections(stack.client("caf-44"), "rsa_entitlement") == (200, {"rsa_status"})
    assert stack.client("interim-ouest").get(f"{dossier}?purpose=control").status_code in (403, 404)

    log_page = ml.get(f"{dossier}/access-log?purpose=accompaniment&limit=100")
    assert log_page.status_code == 200, log_page.text
    log = log_page.json()["items"]
    reads = {(entry["by"]["org_id"], entry["purpose"]) for entry in log if entry["access"] == "read"}
    assert {("ml-nantes-metropole", "accompaniment"), ("departement-44", "rsa_entitlement"),
            ("caf-44", "rsa_entitlement")} <= reads
