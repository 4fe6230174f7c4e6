"""Dependencies of the registration routes: the service object and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.registration.service.handlers import RegistrationService


ServiceDep = from_app_state(RegistrationService, "registrations")
Reader = Annotated[Caller, Depends(require_scope(Scope.REGISTRATIONS_READ))]
Writer = Annotated[Caller, Depends(require_scope(Scope.REGISTRATIONS_WRITE))]
