"""What every container of the platform shares, in docker-compose.yml and in deploy/k8s alike."""
from __future__ import annotations

from services.core import serving
from services.core.manifest import Manifest, Process

# The one image of the top-level Dockerfile; every process runs it with its own command.
IMAGE = "france-travail-platform"
# Writable data of a process (offer search index, gateway key when generated): see the Dockerfile.
DATA_DIR = "/var/lib/platform"
# Where a service's shared directory (SharedDir) is mounted; the Dockerfile creates it for the image's user.
SHARED_DIR = f"{DATA_DIR}/shared"
KAFKA_IMAGE = "apache/kafka:4.1.1"  # the version of deploy/local/kafka.sh
POSTGRES_USER = "platform"


def uvicorn_command(process: Process) -> list[str]:
    return ["uvicorn", *serving.uvicorn_arguments(process.app, "0.0.0.0", process.port)]


def migrate_command(service: str) -> list[str]:
    return ["python", "-m", "services.core.migrations", service]


def database_url(host: str, service: str, user: str, password: str) -> str:
    return f"postgresql+psycopg://{user}:{password}@{host}:5432/{service}"


def database_owners(manifest: Manifest) -> list[str]:
    """One database each: every service, and the gateway (the Idempotency-Keys it has seen)."""
    return [*(service.name for service in manifest.services), "gateway"]
