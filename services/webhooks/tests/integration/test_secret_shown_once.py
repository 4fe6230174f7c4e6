"""The signing secret is shown once: the idempotency record that replays a creation or a rotation (core's
`idempotent_response`, another table) keeps the answer without it, and a replay answers without it."""
from __future__ import annotations

import pytest

from services.webhooks.tests.integration.test_webhooks import DEP, TYPES
from tests.support.polling import table_rows

pytestmark = pytest.mark.integration


def test_neither_the_idempotency_record_nor_a_replay_carries_the_secret(service, database_url, tokens, receiver):
    headers = {**tokens.headers(DEP), "Idempotency-Key": "rsa-software-endpoint"}
    body = {"url": receiver.url, "event_types": TYPES}
    first = service.post("/v1/webhooks", json=body, headers=headers)
    assert first.status_code == 201 and first.json()["secret"].startswith("whsec_")
    replay = service.post("/v1/webhooks", json=body, headers=headers)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == {k: v for k, v in first.json().items() if k != "secret"}

    rotate = {**tokens.headers(DEP), "Idempotency-Key": "rotate-once"}
    path = f"/v1/webhooks/{first.json()['id']}/rotate-secret"
    rotated = service.post(path, json={"overlap_seconds": 60}, headers=rotate)
    assert rotated.status_code == 200 and rotated.json()["secret"].startswith("whsec_")
    again = service.post(path, json={"overlap_seconds": 60}, headers=rotate)
    assert again.status_code == 200 and again.json() == {"previous_valid_until": rotated.json()["previous_valid_until"]}

    records = table_rows(database_url, "select body from idempotency_records", {}, lambda rows: len(rows) >= 2)
    assert not [r for r in records if "whsec_" in r[0]]
