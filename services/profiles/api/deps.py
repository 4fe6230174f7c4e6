"""Dependencies of the profile bank routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.core.state import from_app_state
from services.profiles.service.introductions import IntroductionService
from services.profiles.service.profiles import ProfileService
from services.profiles.service.search import SearchService


ProfilesDep = from_app_state(ProfileService, "profiles")
SearchDep = from_app_state(SearchService, "profile_search")
IntroductionsDep = from_app_state(IntroductionService, "introductions")
Searcher = Annotated[Caller, Depends(require_scope(Scope.PROFILES_SEARCH))]
Contributor = Annotated[Caller, Depends(require_scope(Scope.PROFILES_CONTRIBUTE))]
Manager = Annotated[Caller, Depends(require_scope(Scope.PROFILES_MANAGE))]
