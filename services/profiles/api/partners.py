"""The partners' second API (`profiles:contribute`, seeds 001, l. 1871): nominative updates about
the people a temp agency or a training body works with, accepted or refused line by line."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from services.core.http import documented, idempotency_key_header
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.profiles.api import examples
from services.profiles.api.deps import Contributor, PlatformDep, ProfilesDep
from services.profiles.api.schemas import ContributionBatch, ContributionResult
from services.profiles.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/profiles/contributions", tags=["profiles: partners"])


@router.post("", response_model=ContributionResult, summary="Send updates about people you work with",
             responses=documented(200, examples.CONTRIBUTION_RESULT, {
                 401: "Missing, invalid or expired access token.", 403: "The token lacks profiles:contribute.",
                 409: "Idempotency-Key reused with another body.",
                 422: "A line is malformed, or your organisation belongs to no audience."}))
def contribute(request: Request, platform: PlatformDep, profiles: ProfilesDep, caller: Contributor,
               batch: Annotated[ContributionBatch, Body(openapi_examples={"missions": {
                   "summary": "A mission done and a skill validated", "value": examples.CONTRIBUTIONS}})],
               idempotency_key: idempotency_key_header(examples.CONTRIBUTIONS_KEY) = None) -> JSONResponse:
    lines = batch.model_dump(mode="json")["lines"]

    def operation(session) -> StoredResponse:
        batch_id = resource_id(caller.client_id, idempotency_key)
        results = profiles.contribute(on_session(session, platform.outbox), caller, batch_id, lines)
        return StoredResponse(200, {"batch_id": batch_id, "lines": results})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key,
                               batch.model_dump(mode="json"), operation)
