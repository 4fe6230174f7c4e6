"""Dependencies of the webhooks routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.webhooks.service.endpoints import EndpointService
from services.webhooks.service.feed import ChangeFeed


EndpointsDep = from_app_state(EndpointService, "webhook_endpoints")
FeedDep = from_app_state(ChangeFeed, "webhook_feed")
Manager = Annotated[Caller, Depends(require_scope(Scope.WEBHOOKS_MANAGE))]
ChangesReader = Annotated[Caller, Depends(require_scope(Scope.CHANGES_READ))]
