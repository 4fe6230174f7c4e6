"""A route's dependency on a component of its app's state (services/core/state.py): the very object the
app keeps, and no trace of it in the route's OpenAPI."""
from __future__ import annotations

import typing

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.core.state import from_app_state


class Catalog:
    def __init__(self, name: str) -> None:
        self.name = name


CatalogDep = from_app_state(Catalog, "catalog")


def app_with(catalog: Catalog) -> FastAPI:
    app = FastAPI()
    app.state.catalog = catalog

    @app.get("/name")
    async def name(kept: CatalogDep) -> dict[str, str]:
        return {"name": kept.name, "same": str(kept is app.state.catalog)}

    return app


def test_the_route_is_given_the_object_its_app_keeps():
    assert TestClient(app_with(Catalog("offres"))).get("/name").json() == {"name": "offres", "same": "True"}


def test_two_apps_keep_their_own_objects_through_one_dependency():
    assert TestClient(app_with(Catalog("a"))).get("/name").json()["name"] == "a"
    assert TestClient(app_with(Catalog("b"))).get("/name").json()["name"] == "b"


def test_it_is_the_annotated_type_and_the_openapi_asks_for_nothing():
    assert typing.get_origin(CatalogDep) is typing.Annotated and typing.get_args(CatalogDep)[0] is Catalog
    operation = TestClient(app_with(Catalog("a"))).get("/openapi.json").json()["paths"]["/name"]["get"]
    assert "parameters" not in operation and "requestBody" not in operation
