import pytest

from tests.support.apps import service_client


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix):
    with service_client("indicators", database_url, broker, tokens, consumer_prefix) as client:
        yield client
