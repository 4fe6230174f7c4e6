"""Thin wrappers over kafka-python: one place for producer/consumer settings and topic creation.

Topics are declared once, as channels of `schemas/asyncapi.yaml`; each gets a `.dlq` twin for
poison messages. Brokers here never auto-create topics, so a typo fails loudly.
"""
from __future__ import annotations

import logging
import socket
from pathlib import Path

import yaml
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from services.core.settings import REPO_ROOT

log = logging.getLogger("core.kafka")

ASYNCAPI = REPO_ROOT / "schemas" / "asyncapi.yaml"
DLQ_SUFFIX = ".dlq"


def make_producer(bootstrap_servers: str, **overrides) -> KafkaProducer:
    # acks=all + idempotence: the broker keeps each partition's order and drops retried duplicates.
    config = dict(
        bootstrap_servers=bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_block_ms=5_000,
        request_timeout_ms=10_000,
        delivery_timeout_ms=120_000,
        reconnect_backoff_max_ms=2_000,
    )
    config.update(overrides)
    return KafkaProducer(**config)


def make_consumer(bootstrap_servers: str, group_id: str, topics: list[str], **overrides) -> KafkaConsumer:
    config = dict(
        bootstrap_servers=bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=False,  # offsets are committed after the handler's transaction
        auto_offset_reset="earliest",
        max_poll_records=200,
        reconnect_backoff_max_ms=2_000,
    )
    config.update(overrides)
    consumer = KafkaConsumer(**config)
    consumer.subscribe(topics)
    return consumer


def declared_channels(asyncapi_path: Path = ASYNCAPI) -> dict[str, frozenset[str]]:
    """Each channel's address with the names of the messages declared on it (event types, or the
    dead letter of a `.dlq` twin)."""
    spec = yaml.safe_load(asyncapi_path.read_text())
    messages = spec["components"]["messages"]
    return {
        channel["address"]: frozenset(messages[_component(ref["$ref"])]["name"]
                                      for ref in channel.get("messages", {}).values())
        for channel in spec["channels"].values()
    }


def _component(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]  # '#/components/messages/personRegistered' -> 'personRegistered'


def declared_topics(asyncapi_path: Path = ASYNCAPI) -> list[str]:
    """The topics events are published on; `ensure_topics` adds their `.dlq` twins."""
    return sorted(address for address in declared_channels(asyncapi_path) if not address.endswith(DLQ_SUFFIX))


def ensure_topics(bootstrap_servers: str, topics: list[str], partitions: int = 3) -> list[str]:
    """Create each topic and its `.dlq` twin if missing; returns the names created."""
    wanted = [t for topic in topics for t in (topic, topic + DLQ_SUFFIX)]
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=15_000)
    try:
        existing = set(admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        for name in missing:
            try:
                admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
            except TopicAlreadyExistsError:
                pass
        return missing
    finally:
        admin.close()


def broker_reachable(bootstrap_servers: str, timeout: float = 1.0) -> bool:
    """A TCP connect to any bootstrap server: cheap enough for /readyz on every probe."""
    for server in bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout):
                return True
        except OSError:
            continue
    return False


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Create the platform's Kafka topics (and .dlq twins).")
    parser.add_argument("command", choices=["ensure-topics"])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    args = parser.parse_args()
    created = ensure_topics(args.bootstrap, declared_topics())
    print(f"topics ready ({len(created)} created)")


if __name__ == "__main__":
    main()
