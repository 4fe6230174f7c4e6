"""Dependencies of the offers routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.offers.service.catalog import OfferCatalog
from services.offers.service.imports import Imports
from services.offers.service.lifecycle import Lifecycle
from services.offers.service.subscriptions import Subscriptions


CatalogDep = from_app_state(OfferCatalog, "catalog")
LifecycleDep = from_app_state(Lifecycle, "lifecycle")
ImportsDep = from_app_state(Imports, "imports")
SubscriptionsDep = from_app_state(Subscriptions, "subscriptions")
Reader = Annotated[Caller, Depends(require_scope(Scope.OFFERS_READ))]
Publisher = Annotated[Caller, Depends(require_scope(Scope.OFFERS_PUBLISH))]
Subscriber = Annotated[Caller, Depends(require_scope(Scope.OFFERS_SUBSCRIBE))]
