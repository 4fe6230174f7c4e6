"""Put a partner's fact on partners.inbound.v1, as a CAF's system would (`make demo-caf-fact`).

Usage: send_partner_fact.py FACT.json [--bootstrap 127.0.0.1:9092] [--credentials .data/kafka/credentials]
No service produces partner facts, so the demo sends them as the local broker's admin.
The fact is a CloudEvents envelope; it is validated against schemas/ before it is sent. Sending the
same file twice is harmless: the platform applies each fact id once.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from services.core.broker import make_producer
from services.core.events import InvalidEvent, SchemaRegistry
from services.core.idempotency import resource_id
from services.core.kafka_acls import ADMIN, Credentials
from services.core.settings import REPO_ROOT

TOPIC = "partners.inbound.v1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fact", type=Path)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--credentials", type=Path, default=REPO_ROOT / ".data" / "kafka" / "credentials")
    args = parser.parse_args()
    envelope = json.loads(args.fact.read_text())
    try:
        SchemaRegistry(REPO_ROOT / "schemas").validate(envelope)
    except InvalidEvent as exc:
        print(f"error: {args.fact} is not a valid partner fact: {exc}", file=sys.stderr)
        return 1
    producer = make_producer(Credentials(args.credentials).access(args.bootstrap, ADMIN))
    producer.send(TOPIC, key=envelope["subject"].encode(), value=json.dumps(envelope).encode()).get(timeout=30)
    producer.close()
    print(f"sent {envelope['type']} {envelope['id']} to {TOPIC}")
    print(f"pre-registration id: {resource_id('partner-fact', envelope['id'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
