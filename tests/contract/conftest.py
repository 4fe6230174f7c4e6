"""The fresh platform the contract tests send requests to: every process of the manifest behind the
gateway, its consumers starting at the end of every topic, as a fresh `make run`'s would (on the shared
broker, events other tests and earlier runs left name the same example people). One per run of this
folder: the documented examples' journey uses it first (test_examples.py, collected before
test_workflows.py), then the Arazzo workflows, which bring their own people and offers."""
from __future__ import annotations

import pytest

from tests.contract.journey import past_history
from tests.support.stack import Stack


@pytest.fixture(scope="package")
def fresh_platform(broker, tmp_path_factory):
    running = Stack.start(broker, tmp_path_factory.mktemp("fresh-platform"), group_prefixes=past_history(broker))
    yield running
    running.stop()
