"""Shared pytest fixtures: real broker, both database backends, tokens, in-process apps, stacks."""
from __future__ import annotations

import os

import pytest

from services.core.settings import REPO_ROOT
from tests.support.databases import fresh_database
from tests.support.kafka import TestBroker, unique_prefix
from tests.support.stack import Stack
from tests.support.tokens import TestTokens

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def broker() -> TestBroker:
    test_broker = TestBroker(int(os.environ.get("TEST_KAFKA_PORT", "19092")))
    test_broker.start()  # no-op when `make test` already started it
    test_broker.ensure_topics()
    return test_broker


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, migrated database of the service whose tests ask for it (services/<name>/tests/…)."""
    parts = request.path.relative_to(REPO_ROOT).parts
    service = parts[1] if parts[0] == "services" else "registration"
    with fresh_database(request.param, tmp_path, service) as url:
        yield url


@pytest.fixture(scope="session")
def tokens(tmp_path_factory) -> TestTokens:
    return TestTokens(tmp_path_factory.mktemp("keys") / "key.pem")


@pytest.fixture
def consumer_prefix() -> str:
    return unique_prefix()


@pytest.fixture(scope="session")
def stack(broker, tmp_path_factory):
    """One platform (registration + gateway processes) shared by the end-to-end tests."""
    running = Stack.start(broker, tmp_path_factory.mktemp("stack"))
    yield running
    running.stop()
