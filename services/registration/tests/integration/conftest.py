import pytest
from fastapi.testclient import TestClient

from services.core.settings import ServiceSettings
from services.registration.app import create_app


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix):
    """The registration app in-process, on SQLite or PostgreSQL, with its relay and consumers on the
    real test broker; tokens are verified against the test issuer's key."""
    settings = ServiceSettings.from_env("registration").with_(
        database_url=database_url, kafka_bootstrap_servers=broker.bootstrap, consumer_group_prefix=consumer_prefix)
    app = create_app(settings)
    app.state.token_verifier = tokens.issuer.verifier()
    with TestClient(app) as client:
        yield client
