"""The test broker: a real Kafka started by deploy/local/kafka.sh on its own ports and data dir."""
from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from dataclasses import dataclass

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from services.core.broker import declared_topics, ensure_topics
from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT

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
    def env(self) -> dict[str, str]:
        return {
            **os.environ, "KAFKA_PORT": str(self.port), "KAFKA_CONTROLLER_PORT": str(self.port + 1),
            "KAFKA_DATA_DIR": str(REPO_ROOT / ".data" / f"test-kafka-{self.port}"),
        }

    def start(self) -> None:
        subprocess.run([str(KAFKA_SCRIPT), "start"], env=self.env, check=True, capture_output=True, timeout=300)

    def stop(self) -> None:
        subprocess.run([str(KAFKA_SCRIPT), "stop"], env=self.env, check=True, capture_output=True, timeout=120)

    def ensure_topics(self) -> None:
        ensure_topics(self.bootstrap, declared_topics())

    def end_offsets(self, topic: str) -> dict[TopicPartition, int]:
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap)
        try:
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
            return consumer.end_offsets(partitions)
        finally:
            consumer.close()

    def read(self, topic: str, since: dict[TopicPartition, int], until, timeout: float = 30.0) -> list:
        """Messages of `topic` after the offsets `since`, until `until(messages)` holds or time runs out."""
        consumer = KafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
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
        admin = KafkaAdminClient(bootstrap_servers=self.bootstrap)
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
        producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all")
        try:
            producer.send(topic, key=key.encode(), value=value, headers=headers or []).get(timeout=30)
        finally:
            producer.close()


def envelope_of(message) -> dict:
    return json.loads(message.value)


def unique_prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}."
