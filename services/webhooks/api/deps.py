"""Dependencies of the webhooks routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.webhooks.service.endpoints import EndpointService
from services.webhooks.service.feed import ChangeFeed


async def _endpoints(request: Request) -> EndpointService:
    return request.app.state.webhook_endpoints


async def _feed(request: Request) -> ChangeFeed:
    return request.app.state.webhook_feed


EndpointsDep = Annotated[EndpointService, Depends(_endpoints)]
FeedDep = Annotated[ChangeFeed, Depends(_feed)]
Manager = Annotated[Caller, Depends(require_scope(Scope.WEBHOOKS_MANAGE))]
ChangesReader = Annotated[Caller, Depends(require_scope(Scope.CHANGES_READ))]
