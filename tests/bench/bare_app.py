"""The yardstick of tests/bench/bench_baseline.py: FastAPI with one sync and one async JSON endpoint and
nothing else, served by tests.support.processes exactly as the services are."""
from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI()

    @app.get("/healthz/sync")
    def sync_healthz() -> dict:
        return {"status": "ok"}

    @app.get("/healthz/async")
    async def async_healthz() -> dict:
        return {"status": "ok"}

    return app
