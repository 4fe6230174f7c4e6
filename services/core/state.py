"""A route's dependency on a component its app keeps in `app.state` (the service object `create_app`
builds once): one place for what every service's `api/deps.py` would otherwise write again."""
from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

T = TypeVar("T")


def from_app_state(kind: type[T], attribute: str) -> Any:
    """`Annotated[kind, Depends(...)]` reading `request.app.state.<attribute>`, for a route parameter's
    annotation (`CatalogDep = from_app_state(OfferCatalog, "catalog")`). Typed `Any`: a type checker
    takes no computed alias as a type, FastAPI reads it at runtime. A route's OpenAPI is unchanged, as
    the dependency asks only for the request."""

    async def component(request: Request) -> T:  # async: no worker thread hop for an attribute
        return getattr(request.app.state, attribute)
    return Annotated[kind, Depends(component)]
