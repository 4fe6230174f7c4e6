"""Dependencies of the sanctions routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.sanctions.service.cases import CaseService
from services.sanctions.service.governance import GovernanceService


CasesDep = from_app_state(CaseService, "sanction_cases")
GovernanceDep = from_app_state(GovernanceService, "sanction_governance")
Reader = Annotated[Caller, Depends(require_scope(Scope.SANCTIONS_READ))]
Reporter = Annotated[Caller, Depends(require_scope(Scope.SANCTIONS_REPORT))]
Decider = Annotated[Caller, Depends(require_scope(Scope.SANCTIONS_DECIDE))]
