import time

import pytest

from services.webhooks.consumers import CHANGES, CONSUMER
from services.webhooks.tests.receiver import Receiver
from tests.support.apps import service_client


def caught_up(broker, consumer_prefix: str, timeout: float = 120.0) -> None:
    """Wait until the app's consumer has read what the topics held before the test (it replays them
    from offset 0): endpoints registered after that get the test's own changes, not the backlog's."""
    topics = {event_type.topic.address for event_type in CHANGES}
    if not any(sum(broker.end_offsets(topic).values()) for topic in topics):
        return  # an empty broker: nothing to read, and no offset will ever be committed to show it
    deadline = time.monotonic() + timeout
    while broker.lag(consumer_prefix + CONSUMER) != 0:
        assert time.monotonic() < deadline, "the webhooks consumer never caught up"
        time.sleep(0.5)


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix, monkeypatch):
    # The receivers run on 127.0.0.1, which the SSRF rule refuses unless allowed; the delivery job is
    # run by the tests on their own clock.
    monkeypatch.setenv("WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1")
    with service_client("webhooks", database_url, broker, tokens, consumer_prefix, jobs=frozenset()) as client:
        caught_up(broker, consumer_prefix)
        yield client


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running
