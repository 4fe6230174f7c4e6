"""The person's own sanction cases (/v1/me/sanction-cases): read with their timeline, and answer the
notice with observations within its period. The person is the token's, never the URL's."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse

from services.core.http import AUTH_ERRORS, documented, etag, idempotency_key_header
from services.core.idempotency import StoredResponse, idempotent_response
from services.core.identity import PersonCaller
from services.sanctions.api import examples
from services.sanctions.api.cases import CaseId
from services.sanctions.api.deps import CasesDep, PlatformDep
from services.sanctions.api.schemas import SanctionCaseOut, SanctionMyCasesOut, SanctionMyObservationsIn
from services.sanctions.api.views import case_out
from services.sanctions.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/me/sanction-cases", tags=["me"])

PERSON_ERRORS = {**AUTH_ERRORS, 403: "Not a person's own token."}
MINE = {404: "You have no case with this id."}
ObservationsKey = idempotency_key_header("example-my-observations")


@router.get("", response_model=SanctionMyCasesOut, summary="My sanction cases with their timeline, newest first",
            responses=documented(200, examples.MY_CASES, PERSON_ERRORS))
def my_sanction_cases(platform: PlatformDep, service: CasesDep, person: PersonCaller) -> dict[str, Any]:
    with platform.db.reading() as session:
        cases = service.mine(on_session(session, platform.outbox), person)
    return {"items": [case_out(case, "case") for case in cases]}


@router.get("/{case_id}", response_model=SanctionCaseOut, summary="One of my sanction cases with its timeline",
            responses=documented(200, examples.CASE, {**PERSON_ERRORS, **MINE}, sends=("ETag",)))
def my_sanction_case(case_id: CaseId, platform: PlatformDep, service: CasesDep, person: PersonCaller,
            response: Response) -> dict[str, Any]:
    with platform.db.reading() as session:
        case = service.my_case(on_session(session, platform.outbox), person, case_id)
    response.headers["ETag"] = etag(case.version)
    return case_out(case, "case")


@router.post("/{case_id}/observations", response_model=SanctionCaseOut,
             summary="Send my observations on a case, within the period the notice gives",
             responses=documented(200, examples.MY_OBSERVED, {
                 **PERSON_ERRORS, **MINE, 409: "The period for observations ended (the problem's `deadline` says "
                 "when), observations are already in, or Idempotency-Key reused.",
                 422: "The request is not valid; `errors` names each field."}, sends=("ETag",)))
def send_my_sanction_observations(request: Request, case_id: CaseId, platform: PlatformDep, service: CasesDep,
                      person: PersonCaller,
                      body: Annotated[SanctionMyObservationsIn, Body(openapi_examples={"observations": {
                          "summary": "Camille explains the missed appointments", "value": examples.MY_OBSERVATIONS_IN}})],
                      idempotency_key: ObservationsKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        case = service.observe(on_session(session, platform.outbox), person, case_id, body.text)
        return StoredResponse(200, case_out(case, "case"), {"ETag": etag(case.version)})
    return idempotent_response(request, platform.db, person.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)
