import pytest

from services.webhooks.tests.receiver import Receiver
from tests.support.apps import service_client


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix, monkeypatch):
    # The receivers run on 127.0.0.1, which the SSRF rule refuses unless allowed; the delivery job is
    # run by the tests on their own clock.
    monkeypatch.setenv("WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1")
    with service_client("webhooks", database_url, broker, tokens, consumer_prefix, jobs=frozenset()) as client:
        yield client


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running
