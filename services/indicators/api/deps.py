"""Dependencies of the indicators routes: the service object and the caller's scope."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.indicators.service.facts import IndicatorFacts


async def _facts(request: Request) -> IndicatorFacts:
    return request.app.state.indicator_facts


FactsDep = Annotated[IndicatorFacts, Depends(_facts)]
Reader = Annotated[Caller, Depends(require_scope(Scope.INDICATORS_READ))]
