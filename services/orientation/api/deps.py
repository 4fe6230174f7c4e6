"""Dependencies of the orientation routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.orientation.service.appointments import AppointmentService
from services.orientation.service.handlers import OrientationService


ServiceDep = from_app_state(OrientationService, "orientation")
AppointmentsDep = from_app_state(AppointmentService, "appointments")
Reader = Annotated[Caller, Depends(require_scope(Scope.ORIENTATION_READ))]
Decider = Annotated[Caller, Depends(require_scope(Scope.ORIENTATION_DECIDE))]
