import time
from datetime import datetime, timezone

import pytest
from kafka import KafkaConsumer

from services.core.events import Envelope, SchemaRegistry
from services.core.settings import REPO_ROOT
from services.orientation.published import APPOINTMENTS as APPOINTMENTS_TOPIC, DECISIONS as DECISIONS_TOPIC
from services.orientation.service.unit_of_work import transactions
from services.registration.published import PERSON_HEALTH
from tests.support.apps import service_client

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")
REGISTRATIONS = PERSON_HEALTH.topic.address  # orientation reads the registrations with their health data
DECISIONS = DECISIONS_TOPIC.address
APPOINTMENTS = APPOINTMENTS_TOPIC.address


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix):
    with service_client("orientation", database_url, broker, tokens, consumer_prefix) as client:
        yield client


class Orientation:
    """Drives the service as its partners do: registrations on Kafka, calls through the API."""

    def __init__(self, service, broker, tokens, consumer_prefix):
        self.service, self.broker, self.tokens, self.group = service, broker, tokens, consumer_prefix
        self.app = service.app
        self.units = transactions(self.app.state.platform.db, self.app.state.platform.outbox)  # for periodic jobs

    def register(self, data: dict) -> str:
        """A registration or a correction, as registration tells orientation."""
        envelope = Envelope(type=PERSON_HEALTH.name, source="registration", subject=data["registration_id"], data=data)
        SCHEMAS.validate(envelope.to_dict())
        self.broker.produce(REGISTRATIONS, envelope.subject, envelope.to_json())
        return data["registration_id"]

    def decision(self, person_id: str, client: str = "ft-agence-nantes", timeout: float = 60):
        """The orientation once the consumer has applied the registration."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.service.get(f"/v1/orientation/decisions/{person_id}", headers=self.tokens.headers(client))
            if answer.status_code == 200:
                return answer
            time.sleep(0.2)
        raise AssertionError(f"no decision for {person_id} within {timeout}s")

    def post(self, path: str, body, client: str = "ft-agence-nantes", **headers):
        return self.service.post(path, json=body, headers=self.tokens.headers(client, **headers))

    def events(self, topic: str, since, subject: str, count: int, timeout: float = 30) -> list[dict]:
        return self.broker.events(topic, since, subject, count, timeout)

    def caught_up(self, timeout: float = 120) -> None:
        """Wait until the consumer has applied every registration already on the topic."""
        # A consumer of the same group that never subscribes only reads the committed offsets.
        reader = KafkaConsumer(**self.broker.config, enable_auto_commit=False,
                               group_id=self.group + "orientation.registrations")
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                ends = self.broker.end_offsets(REGISTRATIONS)
                if all((reader.committed(tp) or 0) >= end for tp, end in ends.items()):
                    return
                time.sleep(0.5)
            raise AssertionError("the orientation consumer did not catch up")
        finally:
            reader.close()


@pytest.fixture
def orientation(service, broker, tokens, consumer_prefix) -> Orientation:
    return Orientation(service, broker, tokens, consumer_prefix)


def now() -> datetime:
    return datetime.now(timezone.utc)
