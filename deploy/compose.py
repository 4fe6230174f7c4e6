"""docker-compose.yml from the manifest: every process, one PostgreSQL database per service, a KRaft
Kafka, and a one-shot job creating topics and migrating every database before any process starts."""
from __future__ import annotations

import shlex
from typing import Any

from deploy.runtime import (DATA_DIR, IMAGE, KAFKA_IMAGE, POSTGRES_USER, SHARED_DIR, database_owners, database_url,
                            migrate_command, uvicorn_command)
from services.core.manifest import Manifest, Process, Service

KAFKA_BOOTSTRAP = "kafka:9092"
# Required from the environment (or an uncommitted .env file): never a default, never in the image.
POSTGRES_PASSWORD = "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD (URL-safe characters)}"
PII_HASH_SECRET = "${PII_HASH_SECRET:?set PII_HASH_SECRET}"
PARTNERS_FILE = "/etc/platform/partners.yaml"
CREATE_DATABASES = "./deploy/compose/create-databases.sh:/docker-entrypoint-initdb.d/create-databases.sh:ro"


def compose_file(manifest: Manifest) -> dict[str, Any]:
    services = {"kafka": _kafka(), "postgres": _postgres(manifest), "migrate": _migrate(manifest)}
    for service in manifest.services:
        for process in service.processes:
            services[process.name] = _service_process(service, process)
    services["gateway"] = _gateway(manifest)
    shared = [f"{service.name}-shared" for service in manifest.services if service.shared_dir]
    return {"name": "france-travail-platform", "services": services,
            "volumes": dict.fromkeys(["kafka-data", "postgres-data", "gateway-keys", *shared])}


def _image() -> dict[str, Any]:
    return {"image": f"{IMAGE}:local", "build": "."}


def _common_env() -> dict[str, str]:
    # PUBLIC_API_URL: where callers reach the gateway, the base of every problem type URI.
    return {"KAFKA_BOOTSTRAP_SERVERS": KAFKA_BOOTSTRAP, "GATEWAY_URL": "http://gateway:8000", "LOG_LEVEL": "INFO",
            "DATA_DIR": DATA_DIR, "PUBLIC_API_URL": "http://localhost:8000"}


def _ready_check(port: int) -> dict[str, Any]:
    # The runtime image has no curl: Python asks /readyz.
    probe = f"import urllib.request; urllib.request.urlopen('http://127.0.0.1:{port}/readyz', timeout=2)"
    return {"test": ["CMD", "python", "-c", probe], "interval": "5s", "timeout": "5s", "retries": 30,
            "start_period": "10s"}


def _service_process(service: Service, process: Process) -> dict[str, Any]:
    url = database_url("postgres", service.name, POSTGRES_USER, POSTGRES_PASSWORD)
    shared = {service.shared_dir.setting: SHARED_DIR} if service.shared_dir else {}
    return {
        **_image(), "command": uvicorn_command(process),
        "environment": {**_common_env(), "DATABASE_URL": url, "PII_HASH_SECRET": PII_HASH_SECRET, **shared,
                        **process.environment()},
        **({"volumes": [f"{service.name}-shared:{SHARED_DIR}"]} if shared else {}),
        "depends_on": {"migrate": {"condition": "service_completed_successfully"},
                       "kafka": {"condition": "service_healthy"}},
        "healthcheck": _ready_check(process.port),
    }


def _gateway(manifest: Manifest) -> dict[str, Any]:
    gateway = manifest.gateway
    upstreams = {f"{service.name.upper()}_URL": f"http://{service.api.name}:{service.api.port}"
                 for service in manifest.services}
    return {
        **_image(), "command": uvicorn_command(gateway),
        "environment": {**_common_env(), **upstreams, "PARTNERS_FILE": PARTNERS_FILE,
                        # Idempotency keys seen across services, shared by every gateway replica.
                        "DATABASE_URL": database_url("postgres", "gateway", POSTGRES_USER, POSTGRES_PASSWORD),
                        # Generated at first start into its volume, so tokens outlive a restart.
                        "GATEWAY_KEY_FILE": f"{DATA_DIR}/gateway/signing-key.pem"},
        # The demo partners unless PARTNERS_FILE names another file on the host.
        "volumes": [f"${{PARTNERS_FILE:-./deploy/local/partners.yaml}}:{PARTNERS_FILE}:ro",
                    f"gateway-keys:{DATA_DIR}/gateway"],
        "ports": [f"{gateway.port}:{gateway.port}"],
        "depends_on": {"postgres": {"condition": "service_healthy"},
                       **{service.api.name: {"condition": "service_healthy"} for service in manifest.services}},
        "healthcheck": _ready_check(gateway.port),
    }


def _migrate(manifest: Manifest) -> dict[str, Any]:
    """Topics first, then each service's migrations on its own database."""
    steps = [shlex.join(["python", "-m", "services.core.broker", "ensure-topics", "--bootstrap", KAFKA_BOOTSTRAP])]
    for service in manifest.services:
        # $$: the container's shell expands the password, so it never shows in the command line.
        url = database_url("postgres", service.name, POSTGRES_USER, "$${POSTGRES_PASSWORD}")
        steps.append(f'DATABASE_URL="{url}" {shlex.join(migrate_command(service.name))}')
    return {
        **_image(), "command": ["sh", "-c", " && ".join(steps)],
        "environment": {"POSTGRES_PASSWORD": POSTGRES_PASSWORD},
        "depends_on": {"kafka": {"condition": "service_healthy"}, "postgres": {"condition": "service_healthy"}},
        "restart": "no",
    }


def _postgres(manifest: Manifest) -> dict[str, Any]:
    return {
        "image": "postgres:17",
        "environment": {"POSTGRES_USER": POSTGRES_USER, "POSTGRES_PASSWORD": POSTGRES_PASSWORD,
                        # Read by create-databases.sh on the first start: one database per service.
                        "SERVICE_DATABASES": " ".join(database_owners(manifest))},
        "volumes": ["postgres-data:/var/lib/postgresql/data", CREATE_DATABASES],
        "healthcheck": {"test": ["CMD-SHELL", f"pg_isready -U {POSTGRES_USER} -d postgres"], "interval": "5s",
                        "timeout": "5s", "retries": 20},
    }


def _kafka() -> dict[str, Any]:
    return {
        "image": KAFKA_IMAGE,
        "environment": {
            # One node in KRaft combined mode (no ZooKeeper), as the local broker.
            "KAFKA_NODE_ID": 1,
            "KAFKA_PROCESS_ROLES": "broker,controller",
            "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@kafka:9093",
            "KAFKA_LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093",
            "KAFKA_ADVERTISED_LISTENERS": f"PLAINTEXT://{KAFKA_BOOTSTRAP}",
            "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
            "KAFKA_INTER_BROKER_LISTENER_NAME": "PLAINTEXT",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            # Formats the storage once; stable for the volume's life.
            "CLUSTER_ID": "4L6g3nShT-eMCtK--X86sw",
            "KAFKA_LOG_DIRS": "/var/lib/kafka/data",
            # The migrate job creates the topics: a typo fails instead of creating another.
            "KAFKA_AUTO_CREATE_TOPICS_ENABLE": "false",
            "KAFKA_NUM_PARTITIONS": 3,
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": 1,
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": 1,
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": 1,
            "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR": 1,
            "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR": 1,
            "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": 0,
            "KAFKA_HEAP_OPTS": "-Xms256m -Xmx512m",
        },
        "volumes": ["kafka-data:/var/lib/kafka/data"],
        "healthcheck": {
            "test": ["CMD-SHELL", "/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092"
                                  " >/dev/null 2>&1"],
            "interval": "5s", "timeout": "10s", "retries": 20, "start_period": "10s"},
    }
