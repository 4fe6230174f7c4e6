"""Who logged in: the gateway's question after a person's OpenID Connect login (scope identity:match)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from services.core.http import documented
from services.core.identity import Caller, require_scope
from services.core.scopes import Scope
from services.registration.api import examples
from services.registration.api.deps import PlatformDep, ServiceDep
from services.registration.api.schemas import IdentityMatchOut, IdentityMatchRequest
from services.registration.domain.identity_match import IdentityClaims
from services.registration.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/registrations/identity-matches", tags=["identity"])

Matcher = Annotated[Caller, Depends(require_scope(Scope.IDENTITY_MATCH))]


@router.post(
    "", response_model=IdentityMatchOut, summary="Find the person an identity provider's claims name",
    description="Names are compared folded (case, accents, hyphens, apostrophes), the birth date exactly, the "
                "birth place when given. Never by NIR. Held by the gateway's own token only.",
    responses=documented(200, examples.IDENTITY_MATCH_OUT, {
        401: "Missing, invalid or expired access token.", 403: "The token lacks the scope identity:match.",
        404: "No registration matches this identity.", 422: "The request is not valid; `errors` names each field.",
        409: "Several registrations match this identity: the person must see a counsellor."}),
)
def match_identity(
    platform: PlatformDep, service: ServiceDep, caller: Matcher,
    claims: Annotated[IdentityMatchRequest, Body(openapi_examples={"camille": {
        "summary": "Camille after her login", "value": examples.IDENTITY_MATCH}})],
) -> dict[str, Any]:
    identity = IdentityClaims(family_name=claims.family_name, given_names=tuple(claims.given_names),
                              birth_date=claims.birth_date,
                              birth_country=claims.birth_country, birth_place=claims.birth_place)
    with platform.db.transaction() as session:
        return {"person_id": service.match_identity(on_session(session, platform.outbox), identity)}
