import json
import shutil
from contextlib import ExitStack

import pytest

from services.core.settings import REPO_ROOT
from tests.support.apps import service_client
from tests.support.databases import fresh_database

ORIENTATION_TYPES = ("orientation.decision.made.v1", "orientation.decision.reoriented.v1",
                     "orientation.appointment.booked.v1", "orientation.appointment.no_show.v1")


@pytest.fixture(scope="session")
def schemas_dir(tmp_path_factory):
    """The repository's schemas. Orientation's own are being written alongside this service: until
    they exist, permissive stand-ins (an object with a person_id) keep our consumer from parking
    orientation events on the DLQ. Once they exist, this returns schemas/ itself."""
    missing = [name for name in ORIENTATION_TYPES if not (REPO_ROOT / "schemas" / f"{name}.json").exists()]
    if not missing:
        return REPO_ROOT / "schemas"
    copy = tmp_path_factory.mktemp("schemas")
    for path in (REPO_ROOT / "schemas").glob("*.json"):
        shutil.copy(path, copy)
    for name in missing:
        (copy / f"{name}.json").write_text(json.dumps({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://api.france-travail.local/schemas/{name}.json",
            "type": "object", "required": ["person_id"]}))
    return copy


@pytest.fixture
def make_service(broker, tokens, schemas_dir):
    """Dossier apps in-process (several may share a test, e.g. to replay into a second database)."""
    with ExitStack() as apps:
        yield lambda database_url, consumer_prefix: apps.enter_context(
            service_client("dossier", database_url, broker, tokens, consumer_prefix, schemas_dir=schemas_dir))


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
