from contextlib import ExitStack

import pytest

from tests.support.apps import service_client
from tests.support.databases import fresh_database


@pytest.fixture
def make_service(broker, tokens):
    """Dossier apps in-process (several may share a test, e.g. to replay into a second database)."""
    with ExitStack() as apps:
        yield lambda database_url, consumer_prefix: apps.enter_context(
            service_client("dossier", database_url, broker, tokens, consumer_prefix))


@pytest.fixture
def service(make_service, database_url, consumer_prefix):
    return make_service(database_url, consumer_prefix)


@pytest.fixture
def replay_database_url(database_url, tmp_path):
    """A second fresh dossier database on the same backend. Ask for it before `make_service`, so
    the apps using it stop before it is dropped."""
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    with fresh_database(backend, tmp_path / "replay", "dossier") as url:
        yield url
