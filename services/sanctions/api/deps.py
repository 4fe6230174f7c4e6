"""Dependencies of the sanctions routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.sanctions.service.cases import CaseService
from services.sanctions.service.governance import GovernanceService


async def _cases(request: Request) -> CaseService:
    return request.app.state.sanction_cases


async def _governance(request: Request) -> GovernanceService:
    return request.app.state.sanction_governance


CasesDep = Annotated[CaseService, Depends(_cases)]
GovernanceDep = Annotated[GovernanceService, Depends(_governance)]
Reader = Annotated[Caller, Depends(require_scope(Scope.SANCTIONS_READ))]
Reporter = Annotated[Caller, Depends(require_scope(Scope.SANCTIONS_REPORT))]
Decider = Annotated[Caller, Depends(require_scope(Scope.SANCTIONS_DECIDE))]
