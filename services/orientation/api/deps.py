"""Dependencies of the orientation routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.orientation.service.appointments import AppointmentService
from services.orientation.service.handlers import OrientationService


async def _orientation(request: Request) -> OrientationService:
    return request.app.state.orientation


async def _appointments(request: Request) -> AppointmentService:
    return request.app.state.appointments


ServiceDep = Annotated[OrientationService, Depends(_orientation)]
AppointmentsDep = Annotated[AppointmentService, Depends(_appointments)]
Reader = Annotated[Caller, Depends(require_scope(Scope.ORIENTATION_READ))]
Decider = Annotated[Caller, Depends(require_scope(Scope.ORIENTATION_DECIDE))]
