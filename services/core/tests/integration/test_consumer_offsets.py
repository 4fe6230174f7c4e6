"""The idempotent consumer against the real broker: what it applied is committed by the time it stops,
though it commits asynchronously, so a restart (a deployment, a test's next service) does not read
those events again."""
from __future__ import annotations

import json
import time
import uuid

import pytest

from services.core.consumer import IdempotentConsumer
from services.core.db import Base, Database
from services.core.events import SchemaRegistry
from services.core.inbound import CAF_RSA_OPENED
from services.core.settings import REPO_ROOT

pytestmark = pytest.mark.integration
SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
FACT = json.loads((REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json").read_text())


def test_a_stopped_consumer_has_committed_every_event_it_applied(broker, consumer_prefix, tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'core.db'}")
    Base.metadata.create_all(db.engine)
    applied: list[str] = []
    group = f"{consumer_prefix}offsets"
    consumer = IdempotentConsumer(group, db, SCHEMAS, broker.access(),
                                  {CAF_RSA_OPENED.name: lambda session, event: applied.append(event.id)},
                                  [CAF_RSA_OPENED.topic.address])
    consumer.start()
    try:
        sent = [str(uuid.uuid4()) for _ in range(3)]
        for event_id in sent:
            broker.produce(CAF_RSA_OPENED.topic.address, event_id, json.dumps({**FACT, "id": event_id}).encode())
        deadline = time.monotonic() + 60
        while not set(sent) <= set(applied) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert set(sent) <= set(applied)
    finally:
        consumer.stop()
        db.dispose()
    # Nothing this group read is left to read: its last poll's asynchronous commit reached the broker.
    assert broker.lag(group) == 0
