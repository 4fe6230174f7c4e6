"""Thin wrappers over kafka-python: one place for producer/consumer settings and topic creation.

Topics are declared once, as channels of `schemas/asyncapi.yaml`; each gets a `.dlq` twin for
poison messages. Brokers here never auto-create topics, so a typo fails loudly. Every client logs in
as the principal of its `KafkaAccess` (services/core/kafka_acls.py says what each may do).
"""
from __future__ import annotations

import logging
import socket
from pathlib import Path

import yaml
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from services.core.settings import REPO_ROOT, KafkaAccess

log = logging.getLogger("core.kafka")
# kafka-python warns at every SCRAM login over SASL_PLAINTEXT, as if the password crossed the wire:
# SCRAM sends a proof, never the password. The listener is loopback here, in-cluster on Kubernetes.
logging.getLogger("kafka.net.sasl.scram").setLevel(logging.ERROR)

ASYNCAPI = REPO_ROOT / "schemas" / "asyncapi.yaml"
DLQ_SUFFIX = ".dlq"


def client_config(access: KafkaAccess) -> dict[str, str]:
    """kafka-python's settings for where the brokers are and who the client is."""
    config = {"bootstrap_servers": access.bootstrap_servers, "security_protocol": access.security_protocol}
    if access.security_protocol.startswith("SASL_"):
        config.update(sasl_mechanism=access.sasl_mechanism, sasl_plain_username=access.sasl_username,
                      sasl_plain_password=access.sasl_password)
    return config


def make_producer(access: KafkaAccess, **overrides) -> KafkaProducer:
    # acks=all + idempotence: the broker keeps each partition's order and drops retried duplicates.
    # Idempotence needs no cluster-wide IDEMPOTENT_WRITE: WRITE on a topic suffices (KIP-679).
    config = dict(
        **client_config(access),
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


def make_consumer(access: KafkaAccess, group_id: str, topics: list[str], **overrides) -> KafkaConsumer:
    config = dict(
        **client_config(access),
        group_id=group_id,
        enable_auto_commit=False,  # offsets are committed after the handler's transaction
        auto_offset_reset="earliest",
        max_poll_records=200,
        reconnect_backoff_max_ms=2_000,
        # A group whose leader assigns partitions before the topic's metadata has reached it ("No
        # partition metadata for topic …", seen on a loaded CI machine) gets none, and only a
        # metadata refresh starts a new assignment: kafka-python refreshes every 5 minutes by
        # default, during which the group consumes nothing. 30 s bounds that stall.
        metadata_max_age_ms=30_000,
    )
    config.update(overrides)
    consumer = KafkaConsumer(**config)
    # The topics' metadata first, so that the group's first assignment has it: a CI run saw a fresh
    # group assigned nothing and consume nothing for two minutes after that warning, refreshes or not.
    consumer.topics()
    consumer.subscribe(topics)
    return consumer


def make_admin(access: KafkaAccess, **overrides) -> KafkaAdminClient:
    return KafkaAdminClient(**{**client_config(access), "request_timeout_ms": 15_000, **overrides})


def declared_channels(asyncapi_path: Path = ASYNCAPI) -> dict[str, frozenset[str]]:
    """Each Kafka channel's address with the names of the messages declared on it (event types, or the
    dead letter of a `.dlq` twin). A channel naming servers without Kafka (webhooks' deliveries to
    partners' endpoints) is no topic."""
    spec = yaml.safe_load(asyncapi_path.read_text())
    messages = spec["components"]["messages"]
    return {
        channel["address"]: frozenset(messages[_component(ref["$ref"])]["name"]
                                      for ref in channel.get("messages", {}).values())
        for channel in spec["channels"].values()
        if "servers" not in channel or any(_component(s["$ref"]) == "kafka" for s in channel["servers"])
    }


def _component(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]  # '#/components/messages/personRegistered' -> 'personRegistered'


def declared_topics(asyncapi_path: Path = ASYNCAPI) -> list[str]:
    """The topics events are published on; `ensure_topics` adds their `.dlq` twins."""
    return sorted(address for address in declared_channels(asyncapi_path) if not address.endswith(DLQ_SUFFIX))


def ensure_topics(access: KafkaAccess, topics: list[str], partitions: int = 3) -> list[str]:
    """Create each topic and its `.dlq` twin if missing; returns the names created."""
    wanted = [t for topic in topics for t in (topic, topic + DLQ_SUFFIX)]
    admin = make_admin(access)
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

    # Imported here: kafka_acls builds on this module.
    from services.core.kafka_acls import ADMIN, Credentials, grant_services

    parser = argparse.ArgumentParser(description="Create the platform's Kafka topics (and .dlq twins).")
    parser.add_argument("command", choices=["ensure-topics"])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--credentials", type=Path,
                        help="the broker's credentials directory (deploy/local/kafka.sh): log in as its admin, "
                             "and give each service of the manifest its principal and ACLs")
    args = parser.parse_args()
    credentials = Credentials(args.credentials) if args.credentials else None
    admin = credentials.access(args.bootstrap, ADMIN) if credentials else KafkaAccess(args.bootstrap)
    created = ensure_topics(admin, declared_topics())
    print(f"topics ready ({len(created)} created)")
    if credentials:
        grant_services(admin, credentials)
        print(f"service principals and ACLs ready (passwords in {args.credentials})")


if __name__ == "__main__":
    main()
