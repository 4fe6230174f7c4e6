"""Dependencies of the indicators routes: the service object and the caller's scope."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.indicators.service.facts import IndicatorFacts


FactsDep = from_app_state(IndicatorFacts, "indicator_facts")
Reader = Annotated[Caller, Depends(require_scope(Scope.INDICATORS_READ))]
