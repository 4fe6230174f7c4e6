"""Settings read from the environment, the same names for every service and the gateway.

A service calls `ServiceSettings.from_env("registration")`; every value has a local default so
`make run` works on a fresh machine, and production overrides them (DATABASE_URL, KAFKA_*, …).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from services.core.manifest import load_manifest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Where each service's API and the gateway listen on one machine (deploy/services.yaml).
SERVICE_PORTS = load_manifest().ports()

TOKEN_AUDIENCE = "france-travail-platform"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _flag(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def gateway_url() -> str:
    """Where the gateway answers for the platform's own processes (services fetch its JWKS there)."""
    return _env("GATEWAY_URL", f"http://127.0.0.1:{SERVICE_PORTS['gateway']}")


def public_api_url() -> str:
    """The gateway as integrators reach it; the same as GATEWAY_URL unless a proxy or ingress is in front."""
    return _env("PUBLIC_API_URL", gateway_url()).rstrip("/")


@dataclass(frozen=True)
class KafkaAccess:
    """Where the brokers are and who a client is there: with a SASL security protocol, a principal
    and its password; PLAINTEXT, the default, for a broker that asks nobody (docker-compose)."""
    bootstrap_servers: str
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)  # settings get logged; a password must not

    @classmethod
    def from_env(cls) -> "KafkaAccess":
        return cls(
            bootstrap_servers=_env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            security_protocol=_env("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
            sasl_mechanism=_env("KAFKA_SASL_MECHANISM", ""),
            sasl_username=_env("KAFKA_SASL_USERNAME", ""),
            sasl_password=_env("KAFKA_SASL_PASSWORD", ""),
        )


@dataclass(frozen=True)
class ServiceSettings:
    service_name: str
    database_url: str
    kafka: KafkaAccess
    jwks_url: str
    token_issuer: str
    token_audience: str = TOKEN_AUDIENCE
    # Keyed-hash secret for personal identifiers (NIR fingerprints). Local default only.
    pii_hash_secret: bytes = b"local-dev-only-secret"
    outbox_relay_enabled: bool = True
    consumers_enabled: bool = True
    schemas_dir: Path = REPO_ROOT / "schemas"
    max_body_bytes: int = 1_048_576
    # Consumer groups are named "<prefix><consumer name>"; tests and parallel stacks use their own.
    consumer_group_prefix: str = ""
    # The periodic jobs this process runs (JOBS="offer-imports,…"); None: all of them. Lets a
    # service run heavy jobs in a worker process of its own, on another core.
    jobs: frozenset[str] | None = None

    @classmethod
    def from_env(cls, service_name: str) -> "ServiceSettings":
        data_dir = Path(_env("DATA_DIR", str(REPO_ROOT / ".data")))
        return cls(
            service_name=service_name,
            database_url=_env("DATABASE_URL", f"sqlite:///{data_dir / service_name}.db"),
            kafka=KafkaAccess.from_env(),
            jwks_url=_env("JWKS_URL", f"{gateway_url()}/.well-known/jwks.json"),
            token_issuer=_env("TOKEN_ISSUER", gateway_url()),
            token_audience=_env("TOKEN_AUDIENCE", TOKEN_AUDIENCE),
            pii_hash_secret=_env("PII_HASH_SECRET", "local-dev-only-secret").encode(),
            outbox_relay_enabled=_flag("OUTBOX_RELAY_ENABLED", True),
            consumers_enabled=_flag("CONSUMERS_ENABLED", True),
            schemas_dir=Path(_env("SCHEMAS_DIR", str(REPO_ROOT / "schemas"))),
            max_body_bytes=int(_env("MAX_BODY_BYTES", "1048576")),
            consumer_group_prefix=_env("CONSUMER_GROUP_PREFIX", ""),
            jobs=frozenset(name.strip() for name in os.environ["JOBS"].split(",") if name.strip())
            if "JOBS" in os.environ else None,
        )

    def runs_job(self, name: str) -> bool:
        return self.jobs is None or name in self.jobs

    def with_(self, **changes) -> "ServiceSettings":
        return replace(self, **changes)
