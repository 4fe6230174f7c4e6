"""The service manifest (deploy/services.yaml) is what the platform runs: the gateway's routes, the
ports, the process list, the migrations, the topics and the jobs all agree with it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gateway.partners import load_partners
from gateway.routing import ROUTES
from services.core.broker import declared_topics
from services.core.manifest import MANIFEST_FILE, ManifestError, load_manifest
from services.core.settings import REPO_ROOT, SERVICE_PORTS, ServiceSettings

MANIFEST = load_manifest()


def _variant(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(MANIFEST_FILE.read_text())
    change(document)
    path = tmp_path / "services.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def _offers_api(document: dict) -> dict:
    return document["services"]["offers"]["processes"][0]


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["services"]["offers"]["routes"][0].update(read="offers:browse"), "unknown scope 'offers:browse'"),
    (lambda d: _offers_api(d).update(port=8001), "port used more than once: 8001"),
    (lambda d: d["services"]["dossier"]["routes"][0].update(prefix="/v1/registrations"),
     "route prefix used more than once: /v1/registrations"),
    (lambda d: _offers_api(d).update(max_body_mb=10), "process offers: unknown key(s) max_body_mb"),
    (lambda d: _offers_api(d).pop("port"), "process offers: missing key(s) port"),
    (lambda d: _offers_api(d).update(kind="worker"), "service offers: needs exactly one process of kind 'api'"),
    (lambda d: _offers_api(d).update(kind="cron"), "kind 'cron' is not one of api, worker"),
    (lambda d: d["services"]["indicators"]["routes"][1].update(prefix="/v1/open"), "a public route is under /open-data/ or /dashboards/"),
    (lambda d: d["services"]["indicators"]["routes"][1].update(read="indicators:read"),
     "route /open-data/indicators: unknown key(s) read"),
])
def test_a_mistake_in_the_manifest_is_refused_with_the_entry_named(tmp_path, change, message):
    with pytest.raises(ManifestError) as error:
        load_manifest(_variant(tmp_path, change))
    assert message in str(error.value)


def test_the_gateway_routes_are_the_manifest_routes():
    expected = {(route.prefix, service.name, route.read_scope, route.write_scope, route.max_body_bytes)
                for service in MANIFEST.services for route in service.routes}
    assert {(r.prefix, r.service, r.read_scope, r.write_scope, r.max_body_bytes) for r in ROUTES} == expected
    imports = next(route for route in ROUTES if route.prefix == "/v1/offers/imports")
    assert imports.max_body_bytes == 256 * 2**20


def test_service_ports_are_those_of_the_manifest():
    assert SERVICE_PORTS == {"gateway": 8000, **{service.name: service.api.port for service in MANIFEST.services}}


def test_the_local_process_list_is_the_manifest_with_the_gateway_last():
    listing = subprocess.run([sys.executable, "-m", "services.core.manifest", "processes"], cwd=REPO_ROOT,
                             capture_output=True, text=True, check=True).stdout
    rows = [line.split("\t") for line in listing.splitlines()]
    assert [row[:3] for row in rows] == [[p.name, p.app, str(p.port)] for p in MANIFEST.processes()]
    assert rows[-1][0] == "gateway"
    imports_worker = dict(word.split("=", 1) for word in rows[[r[0] for r in rows].index("offers-imports")][3].split())
    assert imports_worker == {"JOBS": "offer-imports", "OUTBOX_RELAY_ENABLED": "0", "CONSUMERS_ENABLED": "0"}


def test_migrations_without_arguments_migrate_every_service_of_the_manifest(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path)}
    output = subprocess.run([sys.executable, "-m", "services.core.migrations"], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, check=True).stdout
    names = [service.name for service in MANIFEST.services]
    assert output.splitlines() == [f"{name}: migrated" for name in names]
    assert sorted(path.stem for path in tmp_path.glob("*.db")) == sorted(names)


def test_the_manifest_topics_are_the_declared_channels():
    assert list(MANIFEST.topics()) == declared_topics()


def _service_app(name: str, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    module = __import__(f"services.{name}.app", fromlist=["create_app"])
    return module.create_app(ServiceSettings.from_env(name).with_(database_url=f"sqlite:///{tmp_path}/{name}.db"))


@pytest.mark.parametrize("name", [service.name for service in MANIFEST.services])
def test_each_service_consumes_and_schedules_what_the_manifest_says(name, tmp_path, monkeypatch):
    platform = _service_app(name, tmp_path, monkeypatch).state.platform
    service = MANIFEST.service(name)
    assert {topic for consumer in platform.consumers for topic in consumer.topics} == set(service.consumes)
    assert {job.name for job in platform.jobs} == service.jobs


def test_partner_scopes_must_be_scopes_of_the_platform(tmp_path):
    demo = yaml.safe_load((REPO_ROOT / "deploy" / "local" / "partners.yaml").read_text())
    demo["partners"][0]["scopes"].append("registrations:delete")
    path = tmp_path / "partners.yaml"
    path.write_text(yaml.safe_dump(demo))
    with pytest.raises(ValueError, match="ft-agence-nantes has unknown scope"):
        load_partners(path)
