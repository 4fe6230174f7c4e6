"""The partner journeys published as Arazzo 1.0 workflows (contracts-openapi/workflows/) are valid
Arazzo, lint-clean under Spectral's arazzo ruleset, and run green against the running platform, each
step sent through the gateway with the token of the partner it is written for, so that they can never
go stale. The runner is tests/support/arazzo.py; the inputs a partner fills in are built here."""
from __future__ import annotations

import json
import subprocess
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from standardwebhooks import Webhook

from services.dossier.api import examples as dossier
from services.offers.api import examples as offers
from services.registration.tests.builders import person
from services.webhooks.tests.receiver import Receiver
from tests.contract.test_spectral import SPECTRAL, SPECTRAL_DIR, described
from tests.support.arazzo import ArazzoRunner, load_document
from tests.support.contracts import CONTRACTS_DIR

WORKFLOWS_DIR = CONTRACTS_DIR / "workflows"
DOCUMENTS = sorted(WORKFLOWS_DIR.glob("*.arazzo.yaml"))
RULESET = SPECTRAL_DIR / ".spectral-arazzo.yaml"
# The Arazzo 1.0 JSON Schema (OpenAPI Initiative, 2024-08-01) as @stoplight/spectral-rulesets ships it.
ARAZZO_SCHEMA = (SPECTRAL_DIR / "node_modules" / "@stoplight" / "spectral-rulesets" / "dist" / "arazzo" / "schemas"
                 / "arazzo" / "v1.0" / "index.json")

DEPARTEMENT, ML, AGENCY, ADMIN = "departement-44", "mission-locale-nantes", "ft-agence-nantes", "platform-admin"
BAKERY, BOARD = "boulangerie-nantaise", "emploi-ouest-board"


def workflow_ids() -> set[str]:
    return {workflow["workflowId"] for path in DOCUMENTS for workflow in load_document(path)["workflows"]}


def lint(*documents: Path) -> list[dict]:
    if not SPECTRAL.exists():
        pytest.fail(f"Spectral is not installed: run {SPECTRAL_DIR / 'install.sh'}")
    run = subprocess.run([str(SPECTRAL), "lint", "--ruleset", str(RULESET), "--format", "json", "--quiet",
                          *map(str, documents)], capture_output=True, text=True, timeout=120)
    if run.returncode not in (0, 1):
        pytest.fail(f"spectral failed: {run.stderr or run.stdout}")
    return [finding for finding in json.loads(run.stdout or "[]") if finding["severity"] <= 1]


def test_the_partner_journeys_are_published():
    assert workflow_ids() >= {"registerAndOrientRsaRecipient", "departementDecidesOrientation",
                              "missionLocaleFirstAppointmentAndContract", "publishOfferAndFollowDistribution",
                              "subscribeToPersonChanges"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_workflow_document_is_valid_arazzo_1_0(document):
    if not ARAZZO_SCHEMA.exists():
        pytest.fail(f"the Arazzo schema comes with Spectral: run {SPECTRAL_DIR / 'install.sh'}")
    validator = jsonschema.Draft202012Validator(json.loads(ARAZZO_SCHEMA.read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in validator.iter_errors(yaml.safe_load(document.read_text(encoding="utf-8")))]
    assert errors == []


def test_every_workflow_document_is_free_of_spectral_arazzo_findings():
    findings = lint(*DOCUMENTS)
    assert findings == [], described(findings)


def test_the_arazzo_ruleset_refuses_a_reference_to_a_step_that_does_not_exist(tmp_path):
    # The ruleset must still find something to check in our documents.
    document = load_document(WORKFLOWS_DIR / "register-and-orient.arazzo.yaml")
    document["workflows"][0]["steps"][1]["parameters"][1]["value"] = "$steps.nowhere.outputs.personId"
    broken = tmp_path / "broken.arazzo.yaml"
    broken.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    assert {finding["code"] for finding in lint(broken)} == {"arazzo-step-parameters-validation"}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_step_names_an_operation_of_its_sources(document):
    runner = ArazzoRunner(document, client=None)
    for workflow in runner.document["workflows"]:
        for step in workflow["steps"]:
            runner.operation(step["operationId"], f"{workflow['workflowId']} {step['stepId']}")


def run(platform, document: str, workflow_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    with httpx.Client(base_url=platform.url, timeout=30) as client:  # each step sends its partner's token
        return ArazzoRunner(WORKFLOWS_DIR / document, client).run(workflow_id, inputs)


def young_rsa_recipient() -> dict[str, Any]:
    """23 today, whatever the day: under 26, so the mission locale is proposed as referent."""
    today = date.today()
    return person(first_name="Inès", birth=today.replace(year=today.year - 23, day=min(today.day, 28)))


def bakery_offer() -> tuple[dict[str, Any], dict[str, Any]]:
    """An offer no example publishes, and the job board's copy of it (its own reference and page)."""
    reference = uuid.uuid4().hex[:10].upper()
    offer = {**offers.NATIVE, "source_offer_id": f"BN-{reference}", "title": "Tourier / Tourière (H/F)",
             "url": f"https://boulangerie-nantaise.example/emplois/BN-{reference}",
             "description": "La Boulangerie Nantaise recherche un tourier pour la pâte feuilletée, les croissants et "
                            "les pains au chocolat du fournil. Du mardi au samedi, à partir de 5 heures. Expérience "
                            "d'un an souhaitée."}
    board_copy = {**offer, "source_offer_id": f"EO-{reference}",
                  "url": f"https://emploi-ouest.example/offres/EO-{reference}"}
    return offer, board_copy


def departement_decides_rsa_orientation(platform) -> None:
    """The département's journey needs its référentiel to keep the authority over RSA orientation, as the
    shipped one does; the examples' journey, when it ran first on this platform, delegated it. Changed only
    then, so that a fresh platform stays as the examples expect it if they run after."""
    with platform.client(ADMIN) as admin:
        current = admin.get("/v1/orientation/referentials/44")
        assert current.status_code == 200, current.text
        if current.json()["document"].get("rsa", {}).get("authority") == "departement":
            return
        answer = admin.put("/v1/orientation/referentials/44", headers={"If-Match": current.headers["ETag"]}, json={
            "comment": "Loire-Atlantique decides its RSA recipients' orientation (Arazzo workflows).",
            "referential": {"rsa": {"authority": "departement", "decision_delay_days": 30}}})
        assert answer.status_code == 200, answer.text


@pytest.mark.e2e
def test_the_partner_journeys_run_against_the_platform(fresh_platform):
    platform, ran = fresh_platform, set()
    departement_decides_rsa_orientation(platform)

    oriented = run(platform, "register-and-orient.arazzo.yaml", "registerAndOrientRsaRecipient", {
        "registrarToken": platform.token(DEPARTEMENT), "idempotencyKey": f"workflow-{uuid.uuid4()}",
        "person": young_rsa_recipient()})
    assert oriented["orientationStatus"] == "proposed" and oriented["referentOrgId"] == "ml-nantes-metropole"
    ran.add("registerAndOrientRsaRecipient")

    decided = run(platform, "departement-decision.arazzo.yaml", "departementDecidesOrientation", {
        "departementToken": platform.token(DEPARTEMENT), "personId": oriented["personId"],
        "idempotencyKey": f"workflow-{uuid.uuid4()}"})
    assert decided["referentOrgType"] == "mission_locale"
    ran.add("departementDecidesOrientation")

    starts_at = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0)
    accompanied = run(platform, "mission-locale-first-appointment.arazzo.yaml",
                      "missionLocaleFirstAppointmentAndContract", {
                          "missionLocaleToken": platform.token(ML), "personId": oriented["personId"],
                          "slotKey": f"workflow-{uuid.uuid4()}", "appointmentKey": f"workflow-{uuid.uuid4()}",
                          "slot": {"starts_at": starts_at.isoformat(), "duration_minutes": 45, "channel": "on_site",
                                   "location": "Mission locale Nantes Métropole, 4 rue Bisson, 44100 Nantes"},
                          "diagnostic": dossier.DIAGNOSTIC_PATCH, "contract": dossier.CONTRACT_PATCH})
    assert accompanied["signedAt"] and accompanied["withinTarget"] is True
    ran.add("missionLocaleFirstAppointmentAndContract")

    offer, board_copy = bakery_offer()
    published = run(platform, "publish-offer-and-follow-distribution.arazzo.yaml",
                    "publishOfferAndFollowDistribution", {
                        "employerToken": platform.token(BAKERY), "boardToken": platform.token(BOARD),
                        "readerToken": platform.token(AGENCY), "offer": offer, "boardCopy": board_copy,
                        "publishKey": f"workflow-{uuid.uuid4()}"})
    assert published["closedAt"]
    ran.add("publishOfferAndFollowDistribution")

    with Receiver() as receiver:  # the département's RSA software, on loopback (allow-listed in the stack)
        subscribed = run(platform, "subscribe-to-changes.arazzo.yaml", "subscribeToPersonChanges", {
            "departementToken": platform.token(DEPARTEMENT), "receiverUrl": receiver.url,
            "endpointKey": f"workflow-{uuid.uuid4()}", "registrationKey": f"workflow-{uuid.uuid4()}",
            "person": young_rsa_recipient()})
        [received] = [got for got in receiver.about(subscribed["personId"]) if 200 <= got.answered < 300]
    # What the receiver got verifies with the secret the workflow kept, by a Standard Webhooks library.
    assert Webhook(subscribed["secret"]).verify(received.body, received.headers)["subject"] == subscribed["personId"]
    assert received.headers["webhook-id"] == subscribed["webhookId"]
    ran.add("subscribeToPersonChanges")

    assert ran == workflow_ids(), "published workflows this test does not run"
