"""A service's app in-process for its integration tests: on the given database, with its relay,
consumers and jobs on the real test broker as the service's own Kafka principal, and tokens verified
against the test issuer's key."""
from __future__ import annotations

import importlib
from contextlib import contextmanager
from typing import Iterator

from fastapi.testclient import TestClient

from services.core.settings import ServiceSettings
from tests.support.kafka import TestBroker
from tests.support.tokens import TestTokens


@contextmanager
def service_client(service: str, database_url: str, broker: TestBroker, tokens: TestTokens, consumer_prefix: str,
                   **settings: object) -> Iterator[TestClient]:
    create_app = importlib.import_module(f"services.{service}.app").create_app
    broker.allow_groups(service, consumer_prefix)
    app = create_app(ServiceSettings.from_env(service).with_(
        database_url=database_url, kafka=broker.access(service), consumer_group_prefix=consumer_prefix, **settings))
    app.state.token_verifier = tokens.issuer.verifier()
    with TestClient(app) as client:
        yield client
