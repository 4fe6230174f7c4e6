"""Who may do what on the platform's Kafka: one SCRAM principal per service of the manifest, named after
the service, allowed what its relay, consumers and dead-letter queues need and nothing else.

`python -m services.core.broker ensure-topics --credentials DIR` applies this to the local and test
brokers (deploy/local/kafka.sh), every start; deploy/kubernetes.py writes the same grants as Strimzi
KafkaUsers. `python -m services.core.kafka_acls principals` tells deploy/local/platform.sh which
principal each process logs in as.
"""
from __future__ import annotations

import argparse
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from kafka.admin import (ACL, ACLOperation, ACLPermissionType, ACLResourcePatternType, ResourcePattern,
                         ResourceType, ScramMechanism, UserScramCredentialUpsertion)

from services.core.broker import DLQ_SUFFIX, make_admin
from services.core.manifest import Manifest, Service, load_manifest
from services.core.settings import KafkaAccess

ADMIN = "admin"  # the broker's super user, created with its storage by deploy/local/kafka.sh
SECURITY_PROTOCOL = "SASL_PLAINTEXT"
MECHANISM = "SCRAM-SHA-512"


@dataclass(frozen=True)
class Grant:
    resource: str  # "topic" or "group"
    name: str
    operations: tuple[str, ...]  # "Read", "Write", "Describe"
    prefixed: bool = False  # `name` is a prefix of the names allowed, not a whole name


def service_grants(service: Service, group_prefix: str = "") -> list[Grant]:
    """Write the topics it produces and the dead letters of those it consumes, read those it consumes,
    and use the consumer groups `<group_prefix><service>.…`: consumer names start with the service's
    (services/<service>/consumers.py), and CONSUMER_GROUP_PREFIX goes before them."""
    grants = [Grant("topic", topic, ("Write", "Describe")) for topic in service.produces]
    for topic in service.consumes:
        grants += [Grant("topic", topic, ("Read", "Describe")),
                   Grant("topic", topic + DLQ_SUFFIX, ("Write", "Describe"))]
    grants.append(group_grant(service.name, group_prefix))
    return grants


def group_grant(service: str, group_prefix: str = "") -> Grant:
    return Grant("group", f"{group_prefix}{service}.", ("Read",), prefixed=True)


class Credentials:
    """A broker's principals and their passwords: one file each, named after the principal, in one
    directory only their owner may read (deploy/local/kafka.sh writes the admin's)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def password(self, principal: str) -> str:
        return (self.directory / principal).read_text().strip()

    def ensure(self, principal: str) -> str:
        """The principal's password, generated at first use. Test sessions start at the same time:
        the file appears whole and once (a link never replaces an existing file), so all agree."""
        path = self.directory / principal
        if not path.exists():
            draft = self.directory / f".{principal}.{secrets.token_hex(8)}"
            draft.write_text(secrets.token_urlsafe(24))
            draft.chmod(0o600)
            try:
                os.link(draft, path)
            except FileExistsError:
                pass
            finally:
                draft.unlink()
        return self.password(principal)

    def access(self, bootstrap_servers: str, principal: str) -> KafkaAccess:
        return KafkaAccess(bootstrap_servers, SECURITY_PROTOCOL, MECHANISM, principal, self.password(principal))


def grant_services(admin: KafkaAccess, credentials: Credentials, manifest: Manifest | None = None,
                   group_prefix: str = "") -> None:
    """Each service's SCRAM credential (from its password file, created if missing) and its grants.
    Idempotent: a credential is set again to the same password, an existing ACL is not added twice."""
    services = (manifest or load_manifest()).services
    client = make_admin(admin)
    try:
        failures = client.alter_user_scram_credentials([
            UserScramCredentialUpsertion(service.name, ScramMechanism.SCRAM_SHA_512, credentials.ensure(service.name))
            for service in services])
        _raise_on_failure({user: error for user, error in failures.items() if error})
        _create(client, [(service.name, grant)
                         for service in services for grant in service_grants(service, group_prefix)])
    finally:
        client.close()


def allow_groups(admin: KafkaAccess, service: str, group_prefix: str) -> None:
    """Let the service's principal use consumer groups under another CONSUMER_GROUP_PREFIX (tests)."""
    client = make_admin(admin)
    try:
        _create(client, [(service, group_grant(service, group_prefix))])
    finally:
        client.close()


def _create(client, grants: list[tuple[str, Grant]]) -> None:
    acls = [ACL(f"User:{principal}", "*", ACLOperation[operation.upper()], ACLPermissionType.ALLOW,
                ResourcePattern(ResourceType[grant.resource.upper()], grant.name,
                                ACLResourcePatternType.PREFIXED if grant.prefixed else ACLResourcePatternType.LITERAL))
            for principal, grant in grants for operation in grant.operations]
    _raise_on_failure(client.create_acls(acls)["failed"])


def _raise_on_failure(failures) -> None:
    if failures:
        raise RuntimeError(f"the broker refused: {failures}")


def principals(manifest: Manifest) -> dict[str, str]:
    """The principal each process of a service logs in as: its service's (the gateway has none)."""
    return {process.name: service.name for service in manifest.services for process in service.processes}


def main() -> None:
    parser = argparse.ArgumentParser(description="The platform's Kafka principals.")
    parser.add_argument("command", choices=["principals"],
                        help="principals: one line per service process, tab-separated: process, principal")
    parser.parse_args()
    for process, principal in principals(load_manifest()).items():
        print(f"{process}\t{principal}")


if __name__ == "__main__":
    main()
