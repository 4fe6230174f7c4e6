"""Dependencies of the profile bank routes: the service objects and the caller's scopes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.core.app import PlatformDep  # noqa: F401  (re-exported for the routes)
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.profiles.service.introductions import IntroductionService
from services.profiles.service.profiles import ProfileService
from services.profiles.service.search import SearchService


async def _profiles(request: Request) -> ProfileService:
    return request.app.state.profiles


async def _search(request: Request) -> SearchService:
    return request.app.state.profile_search


async def _introductions(request: Request) -> IntroductionService:
    return request.app.state.introductions


ProfilesDep = Annotated[ProfileService, Depends(_profiles)]
SearchDep = Annotated[SearchService, Depends(_search)]
IntroductionsDep = Annotated[IntroductionService, Depends(_introductions)]
Searcher = Annotated[Caller, Depends(require_scope(Scope.PROFILES_SEARCH))]
Contributor = Annotated[Caller, Depends(require_scope(Scope.PROFILES_CONTRIBUTE))]
Manager = Annotated[Caller, Depends(require_scope(Scope.PROFILES_MANAGE))]
