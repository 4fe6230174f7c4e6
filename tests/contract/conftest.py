"""The fresh platform the contract tests send requests to: every process of the manifest behind the
gateway, its consumers starting at the end of every topic, as a fresh `make run`'s would (on the shared
broker, events other tests and earlier runs left name the same example people). One per run of this
folder, shared by the documented examples' journey (test_examples.py) and the Arazzo workflows
(test_workflows.py), which bring their own people and offers and leave what the examples expect as it
was, whichever runs first."""
from __future__ import annotations

import pytest

from tests.contract.journey import past_history
from tests.support.stack import Stack


@pytest.fixture(scope="package")
def fresh_platform(broker, tmp_path_factory):
    running = Stack.start(broker, tmp_path_factory.mktemp("fresh-platform"), group_prefixes=past_history(broker))
    yield running
    running.stop()
