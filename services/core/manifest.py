"""The service manifest (deploy/services.yaml): every service and process of the platform, typed.

Loading validates it, so a mistake fails at start-up with the entry at fault named: an unknown key or
scope, a port or route prefix used twice, a service without exactly one `api` process.
`python -m services.core.manifest processes` prints the process list for deploy/local/platform.sh.
"""
from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from services.core.scopes import Scope

MANIFEST_FILE = Path(__file__).resolve().parents[2] / "deploy" / "services.yaml"
DEFAULT_MEMORY = "512Mi"
KINDS = ("api", "worker")
# Where the gateway serves public routes (no token): open data and the dashboards drawn from it.
PUBLIC_ROOTS = ("/open-data/", "/dashboards/")


class ManifestError(ValueError):
    pass


@dataclass(frozen=True)
class RouteSpec:
    prefix: str
    read_scope: Scope | None  # None: a public route (reads without a token, nothing else)
    write_scope: Scope | None
    # Bulk uploads: a larger body limit than the platform's default.
    max_body_bytes: int | None = None

    @property
    def public(self) -> bool:
        return self.read_scope is None


@dataclass(frozen=True)
class Replicas:
    min: int
    max: int


@dataclass(frozen=True)
class Process:
    name: str
    service: str | None  # None for the gateway, which owns no database
    kind: str  # "api", "worker" or "gateway"
    app: str  # module with the uvicorn factory create_app()
    port: int
    jobs: tuple[str, ...] | None = None  # None: the gateway, which has no periodic jobs
    relay: bool = True
    consumers: bool = True
    replicas: Replicas | None = None  # None: exactly one replica
    memory: str = DEFAULT_MEMORY

    @property
    def scales_horizontally(self) -> bool:
        return self.replicas is not None

    def environment(self) -> dict[str, str]:
        """The settings that make this process what the manifest says (services/core/settings.py)."""
        env = {}
        if self.jobs is not None:
            env["JOBS"] = ",".join(self.jobs)
        if not self.relay:
            env["OUTBOX_RELAY_ENABLED"] = "0"
        if not self.consumers:
            env["CONSUMERS_ENABLED"] = "0"
        return env


@dataclass(frozen=True)
class SharedDir:
    """A directory every process of a service reads and writes, whichever replica: a shared volume."""
    setting: str  # the environment variable naming it
    size: str


@dataclass(frozen=True)
class Service:
    name: str
    routes: tuple[RouteSpec, ...]
    produces: tuple[str, ...]
    consumes: tuple[str, ...]
    processes: tuple[Process, ...]
    shared_dir: SharedDir | None = None

    @property
    def api(self) -> Process:
        return next(process for process in self.processes if process.kind == "api")

    @property
    def jobs(self) -> frozenset[str]:
        return frozenset(job for process in self.processes for job in process.jobs or ())

    @property
    def larger_bodies(self) -> dict[str, int]:
        """Route prefixes taking bodies over the platform's default limit (bulk uploads)."""
        return {route.prefix: route.max_body_bytes for route in self.routes if route.max_body_bytes}


@dataclass(frozen=True)
class Manifest:
    gateway: Process
    services: tuple[Service, ...]
    # Routes the gateway answers itself, not proxied (a person's export of every /v1/me part).
    gateway_routes: tuple[RouteSpec, ...] = ()

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    def processes(self) -> tuple[Process, ...]:
        """Services first, the gateway last (it reads their contracts for /docs)."""
        return (*(process for service in self.services for process in service.processes), self.gateway)

    def ports(self) -> dict[str, int]:
        """Where each service's API (and the gateway) listens on a single machine."""
        return {self.gateway.name: self.gateway.port, **{service.name: service.api.port for service in self.services}}

    def topics(self) -> tuple[str, ...]:
        return tuple(sorted({topic for service in self.services for topic in (*service.produces, *service.consumes)}))


@cache
def load_manifest(path: Path = MANIFEST_FILE) -> Manifest:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    _check_keys(document, {"gateway", "services"}, set(), str(path))
    manifest = Manifest(
        gateway=_gateway(document["gateway"]),
        services=tuple(_service(name, entry) for name, entry in document["services"].items()),
        gateway_routes=tuple(_route(route, "gateway") for route in document["gateway"].get("routes", ())),
    )
    _check_unique("port", [process.port for process in manifest.processes()])
    _check_unique("process name", [process.name for process in manifest.processes()])
    _check_unique("route prefix", [route.prefix for service in manifest.services for route in service.routes]
                  + [route.prefix for route in manifest.gateway_routes])
    return manifest


def _gateway(entry: dict[str, Any]) -> Process:
    _check_keys(entry, {"app", "port"}, {"replicas", "memory", "routes"}, "gateway")
    return Process(name="gateway", service=None, kind="gateway", app=entry["app"], port=int(entry["port"]),
                   replicas=_replicas(entry), memory=entry.get("memory", DEFAULT_MEMORY))


def _service(name: str, entry: dict[str, Any]) -> Service:
    _check_keys(entry, {"processes"}, {"routes", "produces", "consumes", "shared_dir"}, f"service {name}")
    shared = entry.get("shared_dir")
    if shared:
        _check_keys(shared, {"setting", "size"}, set(), f"service {name}, shared_dir")
    service = Service(
        name=name,
        routes=tuple(_route(route, name) for route in entry.get("routes", ())),
        produces=tuple(entry.get("produces", ())),
        consumes=tuple(entry.get("consumes", ())),
        processes=tuple(_process(process, name) for process in entry["processes"]),
        shared_dir=SharedDir(shared["setting"], shared["size"]) if shared else None,
    )
    apis = sum(process.kind == "api" for process in service.processes)
    if apis != 1:
        raise ManifestError(f"service {name}: needs exactly one process of kind 'api', has {apis}")
    return service


def _route(entry: dict[str, Any], service: str) -> RouteSpec:
    where = f"service {service}, route {entry.get('prefix')}"
    if isinstance(entry, dict) and "public" in entry:
        # Open data: GET and HEAD without a token, and no other verb, so no scope to name.
        _check_keys(entry, {"prefix", "public"}, set(), where)
        if entry["public"] is not True or not (entry["prefix"] + "/").startswith(PUBLIC_ROOTS):
            raise ManifestError(f"{where}: a public route is under {' or '.join(PUBLIC_ROOTS)}, with public: true")
        return RouteSpec(entry["prefix"], None, None)
    _check_keys(entry, {"prefix", "read", "write"}, {"max_body_mib"}, where)
    mib = entry.get("max_body_mib")
    return RouteSpec(entry["prefix"], _scope(entry["read"], where), _scope(entry["write"], where),
                     int(mib) * 2**20 if mib else None)


def _process(entry: dict[str, Any], service: str) -> Process:
    where = f"service {service}, process {entry.get('name')}"
    _check_keys(entry, {"name", "kind", "app", "port", "jobs"}, {"relay", "consumers", "replicas", "memory"}, where)
    if entry["kind"] not in KINDS:
        raise ManifestError(f"{where}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
    return Process(
        name=entry["name"], service=service, kind=entry["kind"], app=entry["app"], port=int(entry["port"]),
        jobs=tuple(entry["jobs"]), relay=bool(entry.get("relay", True)), consumers=bool(entry.get("consumers", True)),
        replicas=_replicas(entry), memory=entry.get("memory", DEFAULT_MEMORY),
    )


def _replicas(entry: dict[str, Any]) -> Replicas | None:
    replicas = entry.get("replicas")
    return Replicas(int(replicas["min"]), int(replicas["max"])) if replicas else None


def _scope(name: str, where: str) -> Scope:
    try:
        return Scope(name)
    except ValueError:
        raise ManifestError(f"{where}: unknown scope {name!r} (services/core/scopes.py lists them)") from None


def _check_keys(entry: dict[str, Any], required: set[str], optional: set[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: expected a mapping, got {entry!r}")
    missing, unknown = sorted(required - set(entry)), sorted(set(entry) - required - optional)
    if missing:
        raise ManifestError(f"{where}: missing key(s) {', '.join(missing)}")
    if unknown:
        raise ManifestError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _check_unique(what: str, values: list) -> None:
    repeated = sorted(str(value) for value, count in Counter(values).items() if count > 1)
    if repeated:
        raise ManifestError(f"{what} used more than once: {', '.join(repeated)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Read the service manifest (deploy/services.yaml).")
    parser.add_argument("command", choices=["processes"], help="processes: one line per process, tab-separated: "
                                                                "name, app module, port, NAME=value settings")
    parser.parse_args()
    for process in load_manifest().processes():
        settings = " ".join(f"{name}={value}" for name, value in process.environment().items())
        print("\t".join((process.name, process.app, str(process.port), settings)))


if __name__ == "__main__":
    main()
