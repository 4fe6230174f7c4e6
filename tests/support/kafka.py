"""The test broker: a real Kafka started by deploy/local/kafka.sh on its own ports and data dir, with its
SCRAM principals and ACLs; the helpers here log in as its admin."""
from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from services.core.broker import client_config, declared_topics, ensure_topics
from services.core.events import SchemaRegistry
from services.core.kafka_acls import ADMIN, Credentials, allow_groups, grant_services
from services.core.settings import REPO_ROOT, KafkaAccess

KAFKA_SCRIPT = REPO_ROOT / "deploy" / "local" / "kafka.sh"
EVENT_SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


@dataclass(frozen=True)
class TestBroker:
    __test__ = False  # a helper, not a test class
    port: int

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def data_dir(self) -> Path:
        return REPO_ROOT / ".data" / f"test-kafka-{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "KAFKA_PORT": str(self.port), "KAFKA_CONTROLLER_PORT": str(self.port + 1),
                "KAFKA_DATA_DIR": str(self.data_dir)}

    @property
    def credentials(self) -> Credentials:
        return Credentials(self.data_dir / "credentials")

    def access(self, principal: str = ADMIN) -> KafkaAccess:
        return self.credentials.access(self.bootstrap, principal)

    @property
    def config(self) -> dict[str, str]:
        """kafka-python's settings of a client logged in as the admin."""
        return client_config(self.access())

    def process_env(self, principal: str) -> dict[str, str]:
        """The settings that make a process log in as `principal` (services/core/settings.py)."""
        access = self.access(principal)
        return {"KAFKA_BOOTSTRAP_SERVERS": access.bootstrap_servers, "KAFKA_SECURITY_PROTOCOL": access.security_protocol,
                "KAFKA_SASL_MECHANISM": access.sasl_mechanism, "KAFKA_SASL_USERNAME": access.sasl_username,
                "KAFKA_SASL_PASSWORD": access.sasl_password}

    def allow_groups(self, service: str, group_prefix: str) -> None:
        """Tests name their consumer groups with prefixes of their own: the service may use those too."""
        allow_groups(self.access(), service, group_prefix)

    def start(self) -> None:
        subprocess.run([str(KAFKA_SCRIPT), "start"], env=self.env, check=True, capture_output=True, timeout=300)

    def stop(self) -> None:
        subprocess.run([str(KAFKA_SCRIPT), "stop"], env=self.env, check=True, capture_output=True, timeout=120)

    def ensure_topics(self) -> None:
        """The topics, and each service's principal with its ACLs (what `make run` does)."""
        ensure_topics(self.access(), declared_topics())
        grant_services(self.access(), self.credentials)

    def end_offsets(self, topic: str) -> dict[TopicPartition, int]:
        consumer = KafkaConsumer(**self.config)
        try:
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
            return consumer.end_offsets(partitions)
        finally:
            consumer.close()

    def read(self, topic: str, since: dict[TopicPartition, int], until, timeout: float = 30.0,
             principal: str = ADMIN) -> list:
        """Messages of `topic` after the offsets `since`, until `until(messages)` holds or time runs out."""
        consumer = KafkaConsumer(**client_config(self.access(principal)), enable_auto_commit=False)
        consumer.assign(list(since))
        for tp, offset in since.items():
            consumer.seek(tp, offset)
        messages: list = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and not until(messages):
                for batch in consumer.poll(timeout_ms=500).values():
                    messages.extend(batch)
            return messages
        finally:
            consumer.close()

    def lag(self, group_id: str) -> int | None:
        """Messages the consumer group has yet to commit, over the topics it committed on so far
        (None before its first commit)."""
        admin = KafkaAdminClient(**self.config)
        try:
            committed = admin.list_group_offsets(group_id).get(group_id) or {}
        finally:
            admin.close()
        if not committed:
            return None
        ends = {tp: end for topic in {tp.topic for tp in committed} for tp, end in self.end_offsets(topic).items()}
        return sum(end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items())

    def events(self, topic: str, since: dict[TopicPartition, int], subject: str, count: int,
               timeout: float = 30.0) -> list[dict]:
        """The envelopes about `subject` published after `since`, once `count` of them are there; each
        checked against schemas/, as what consumers receive must match them."""
        def about(messages):
            return [m for m in messages if m.key and m.key.decode() == subject]

        found = [envelope_of(m) for m in about(self.read(topic, since, lambda ms: len(about(ms)) >= count, timeout))]
        for envelope in found:
            EVENT_SCHEMAS.validate(envelope)
        return found

    def produce(self, topic: str, key: str, value: bytes, headers: list[tuple[str, bytes]] | None = None) -> None:
        producer = KafkaProducer(**self.config, acks="all")
        try:
            producer.send(topic, key=key.encode(), value=value, headers=headers or []).get(timeout=30)
        finally:
            producer.close()


def envelope_of(message) -> dict:
    return json.loads(message.value)


def unique_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}."
