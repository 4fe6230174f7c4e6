"""Dependencies of the offers routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.offers.service.catalog import OfferCatalog
from services.offers.service.imports import Imports
from services.offers.service.lifecycle import Lifecycle
from services.offers.service.subscriptions import Subscriptions


async def _catalog(request: Request) -> OfferCatalog:
    return request.app.state.catalog


async def _lifecycle(request: Request) -> Lifecycle:
    return request.app.state.lifecycle


async def _imports(request: Request) -> Imports:
    return request.app.state.imports


async def _subscriptions(request: Request) -> Subscriptions:
    return request.app.state.subscriptions


CatalogDep = Annotated[OfferCatalog, Depends(_catalog)]
LifecycleDep = Annotated[Lifecycle, Depends(_lifecycle)]
ImportsDep = Annotated[Imports, Depends(_imports)]
SubscriptionsDep = Annotated[Subscriptions, Depends(_subscriptions)]
Reader = Annotated[Caller, Depends(require_scope(Scope.OFFERS_READ))]
Publisher = Annotated[Caller, Depends(require_scope(Scope.OFFERS_PUBLISH))]
Subscriber = Annotated[Caller, Depends(require_scope(Scope.OFFERS_SUBSCRIBE))]
