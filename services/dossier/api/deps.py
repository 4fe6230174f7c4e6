"""Dependencies of the dossier routes: the service object and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, PersonCaller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.dossier.service.handlers import DossierService


ServiceDep = from_app_state(DossierService, "dossiers")
Reader = Annotated[Caller, Depends(require_scope(Scope.DOSSIER_READ))]
Writer = Annotated[Caller, Depends(require_scope(Scope.DOSSIER_WRITE))]
# The /v1/me routes: a person's own token (403 for any organisation's); the person is the token's.
Person = PersonCaller
