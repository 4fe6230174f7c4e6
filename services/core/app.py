"""`create_service_app(...)`: everything a service shares, so each service's app.py is a few lines.

It wires settings, database, schemas, outbox relay, consumers, token verification, problem+json,
request ids, tracing, metrics, body size limit and the health probes.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.core.broker import broker_reachable, declared_channels
from services.core.consumer import BatchHandler, Handler, IdempotentConsumer
from services.core.db import Database
from services.core.events import EventType, SchemaRegistry
from services.core.http import BodySizeLimit, operation_id
from services.core.identity import TokenVerifier
from services.core.manifest import load_manifest
from services.core.metrics import metrics_router, observe_outbox_backlog
from services.core.outbox import Outbox, OutboxRelay, outbox_backlog
from services.core.memory import release_memory_when_idle
from services.core.scheduler import PeriodicJob
from services.core.problems import Problem, install_problem_handlers, problem_response
from services.core.settings import ServiceSettings
from services.core.state import from_app_state
from services.core.subscriptions import check_subscriptions
from services.core.request_context import RequestContext
from services.core.telemetry import setup_telemetry


# FastAPI's native telemetry off: the request middleware (core/request_context.py) opens the server span
# (the trace continued, named after the route template) and records the duration histogram itself, at a
# fraction of the CPU; FastAPI's spans around each request's dependencies, endpoint and serialization cost
# more than they tell (docs/performance.md, issue 10).
TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


@dataclass(frozen=True)
class ConsumerSpec:
    """A service's subscription: handlers by event type; it reads the topics those types travel on."""

    name: str
    handlers: dict[EventType, Handler]
    # A projection of many events (indicators): the transaction's events together (core/consumer.py).
    batch_handler: BatchHandler | None = None

    @property
    def topics(self) -> list[str]:
        return sorted({event_type.topic.address for event_type in self.handlers})


@dataclass
class Platform:
    """Per-app shared components, reachable from routes as `request.app.state.platform`."""

    settings: ServiceSettings
    db: Database
    schemas: SchemaRegistry
    outbox: Outbox
    relay: OutboxRelay
    consumers: list[IdempotentConsumer] = field(default_factory=list)
    jobs: list[PeriodicJob] = field(default_factory=list)

    def add_consumers(self, specs: list[ConsumerSpec]) -> None:
        """Subscriptions are wired after the service object exists; they start with the app. A
        handler for an event type without a schema, or on a topic `asyncapi.yaml` does not declare,
        refuses to start: otherwise it would wait forever for events that never come."""
        channels = declared_channels(self.settings.schemas_dir / "asyncapi.yaml")
        for spec in specs:
            check_subscriptions(spec.handlers, self.schemas, channels)
        self.consumers.extend(
            IdempotentConsumer(self.settings.consumer_group_prefix + spec.name, self.db, self.schemas,
                               self.settings.kafka,
                               {event_type.name: handler for event_type, handler in spec.handlers.items()}, spec.topics,
                               batch_handler=spec.batch_handler)
            for spec in specs
        )

    def add_job(self, job: PeriodicJob) -> None:
        """Periodic work (deadlines, reminders, imports); starts with the app when the settings'
        JOBS name it (all jobs by default)."""
        self.jobs.append(job)


# Every service's routes reach the shared components through this one dependency.
PlatformDep = from_app_state(Platform, "platform")


def create_service_app(settings: ServiceSettings, *, title: str, description: str, routers: list[APIRouter],
                       version: str = "1.0.0", published_models: list[type[BaseModel]] | None = None) -> FastAPI:
    """The service's larger body limits (bulk uploads) come from its routes in the manifest, as the
    gateway's do. `published_models`: schemas the contract names though no route declares them (a
    body read by hand, e.g. in a choice of formats)."""
    setup_telemetry(settings.service_name)
    release_memory_when_idle()
    db = Database(settings.database_url)
    schemas = SchemaRegistry(settings.schemas_dir)
    relay = OutboxRelay(db, settings.kafka)
    platform = Platform(
        settings=settings, db=db, schemas=schemas, outbox=Outbox(schemas, settings.service_name, relay.notify),
        relay=relay,
    )
    observe_outbox_backlog(lambda: outbox_backlog(db))

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        if settings.outbox_relay_enabled:
            relay.start()
        if settings.consumers_enabled:
            for consumer in platform.consumers:
                consumer.start()
        for job in platform.jobs:
            if settings.runs_job(job.name):
                job.start()
        yield
        for worker in (*platform.consumers, *platform.jobs):
            worker.stop()
        relay.stop()
        db.dispose()

    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan,
                  docs_url="/docs", redoc_url=None, telemetry=TELEMETRY, generate_unique_id_function=operation_id)
    app.state.platform = platform
    app.state.token_verifier = TokenVerifier.from_jwks_url(
        settings.jwks_url, settings.token_issuer, settings.token_audience
    )
    install_problem_handlers(app)
    publish_models(app, published_models or [])
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       larger=load_manifest().service(settings.service_name).larger_bodies)
    install_request_context(app)  # added last, so outermost: a 413 has a request id and is measured too
    app.include_router(health_router(platform))
    app.include_router(metrics_router())
    for router in routers:
        app.include_router(router)
    return app


def publish_models(app: FastAPI, models: list[type[BaseModel]]) -> None:
    """Add models to the OpenAPI components, so operations can `$ref` them in `openapi_extra`."""
    generate_openapi = app.openapi

    def openapi() -> dict:
        spec = generate_openapi()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
        return spec

    app.openapi = openapi


def install_request_context(app: FastAPI) -> None:
    """Request id and trace continue from the caller (the server span); a duration metric by route
    template and one JSON access-log line per request."""
    app.add_middleware(RequestContext)


def health_router(platform: Platform) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Process alive")
    async def healthz() -> dict:  # async: a probe needs no worker thread
        return {"status": "ok"}

    @router.get("/readyz", summary="Database and Kafka reachable")
    def readyz() -> JSONResponse:
        checks = {"database": _check(platform.db.ping), "kafka": "ok" if broker_reachable(
            platform.settings.kafka.bootstrap_servers) else "unreachable"}
        failing = sorted(name for name, value in checks.items() if value != "ok")
        if failing:
            return problem_response(Problem(503, f"Not ready: {', '.join(failing)} unreachable.",
                                            slug="not-ready", checks=checks))
        return JSONResponse({"status": "ready", "checks": checks})

    return router


def _check(probe: Callable[[], None]) -> str:
    try:
        probe()
        return "ok"
    except Exception:
        return "unreachable"
