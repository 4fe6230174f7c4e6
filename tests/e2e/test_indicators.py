"""Indicators through the gateway (issue 13): a registration reaches the département's figures for
its internal readers, and the open data answers without a token."""
from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from services.registration.tests.builders import person
from tests.support.polling import eventually

pytestmark = pytest.mark.e2e


def registrations_in_44(reader, month: str) -> int:
    answer = reader.get("/v1/indicators/registrations/observations", params={
        "territory_level": "departement", "territory": "44", "from": month, "to": month})
    assert answer.status_code == 200, answer.text
    assert answer.json()["unsuppressed"] is True  # the département reads its own territory
    return answer.json()["items"][0]["value"]


def test_a_registration_counts_for_its_departement_and_the_open_data_needs_no_token(stack):
    month = datetime.now(timezone.utc).strftime("%Y-%m")
    reader = stack.client("departement-44")
    before = registrations_in_44(reader, month)
    registered = stack.client("ft-agence-nantes").post("/v1/registrations", json=person())  # lives in Nantes
    assert registered.status_code == 201, registered.text
    eventually(lambda: reader.get("/v1/indicators/registrations/observations", params={
        "territory_level": "departement", "territory": "44", "from": month, "to": month}),
        lambda answer: answer.json()["items"][0]["value"] >= before + 1)

    assert httpx.get(f"{stack.url}/v1/indicators").status_code == 401
    datasets = httpx.get(f"{stack.url}/open-data/indicators")
    assert datasets.status_code == 200 and "registrations" in {item["indicator"] for item in datasets.json()["items"]}
    export = httpx.get(f"{stack.url}/open-data/indicators/registrations/departement/{month}", params={"format": "csv"})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    assert any(line.startswith("44,Loire-Atlantique,") for line in export.text.splitlines())
