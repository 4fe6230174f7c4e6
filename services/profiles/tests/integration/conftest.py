import pytest

from tests.support.apps import service_client


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix, monkeypatch):
    """The profile bank in-process, with a small daily quota so the test can reach it."""
    monkeypatch.setenv("PROFILES_DAILY_VIEW_QUOTA", "3")
    with service_client("profiles", database_url, broker, tokens, consumer_prefix) as client:
        yield client
