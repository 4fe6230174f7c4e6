import pytest

from tests.support.apps import service_client


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix, tmp_path, monkeypatch):
    """The profile bank in-process, with a small daily quota so the test can reach it, and a search
    index of its own (one directory per database)."""
    monkeypatch.setenv("PROFILES_DAILY_VIEW_QUOTA", "3")
    monkeypatch.setenv("PROFILES_SEARCH_DIR", str(tmp_path / "search"))
    with service_client("profiles", database_url, broker, tokens, consumer_prefix) as client:
        yield client
