"""HTTP routes of lapses and cases: report, list, read with the timeline, and the authority's commands."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse

from services.core.codes import DepartementCode, EntityId
from services.core.http import (
    AUTH_ERRORS, Cursor, Limit, check_if_match, decode_cursor, documented, encode_cursor, etag, id_path,
    idempotency_key_header, if_match_header,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.core.identity import Caller
from services.sanctions.domain.queries import CaseFilter
from services.sanctions.api import examples
from services.sanctions.api.deps import CasesDep, Decider, PlatformDep, Reader, Reporter
from services.sanctions.api.schemas import (
    SanctionAppealIn, SanctionCaseOut, SanctionCasePage, SanctionDecisionIn, SanctionLapseIn, SanctionLapseOut, SanctionObservationsIn, SanctionOpinionIn, SanctionReasonIn, Regime, Status,
)
from services.sanctions.api.views import case_out
from services.sanctions.domain.case import Case, Ground, Source
from services.sanctions.service.cases import NewLapse
from services.sanctions.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/sanctions", tags=["sanctions"])

CaseId = id_path(examples.CASE_ID, "The case's id.")
NOT_VISIBLE = {404: "Unknown, or not visible to your organisation."}
CHANGE_ERRORS = {**AUTH_ERRORS, **NOT_VISIBLE, 403: "Only the competent authority of the case acts on it.",
                 409: "Not possible in the case's current status, or Idempotency-Key reused.",
                 412: "Stale ETag: read again, reapply.", 428: "If-Match is required.",
                 422: "The request is not valid; `errors` names each field."}


@router.post("/lapses", status_code=201, response_model=SanctionLapseOut,
             summary="Report a lapse: it opens a case (or joins the person's open one), never a sanction",
             responses=documented(201, examples.LAPSE_OUT, {**AUTH_ERRORS, 403: "Not the person's referent nor the "
                                  "competent authority.", 404: "No such person visible to your organisation.",
                                  409: "Idempotency-Key reused.", 422: "The request is not valid."}))
def report_lapse(request: Request, platform: PlatformDep, service: CasesDep, caller: Reporter,
                 body: Annotated[SanctionLapseIn, Body(openapi_examples={"report": {
                     "summary": "A referent reports actions not carried out", "value": examples.LAPSE_IN}})],
                 idempotency_key: idempotency_key_header(examples.LAPSE_KEY) = None) -> JSONResponse:
    new = NewLapse(body.person_id, body.obligation, Source(body.source), body.evidence, body.occurred_at,
                   body.household_size, resource_id(caller.client_id, idempotency_key))

    def operation(session) -> StoredResponse:
        lapse, case = service.report(on_session(session, platform.outbox), caller, new)
        return StoredResponse(201, {"lapse_id": lapse.id, "case": case_out(case, "case") if case else None},
                              {"ETag": etag(case.version)} if case else {})
    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)


@router.get("/cases", response_model=SanctionCasePage, summary="The cases your organisation may see, newest first",
            responses=documented(200, {"items": [examples.CASE], "next_cursor": None},
                                 {**AUTH_ERRORS, 422: "Invalid filter or cursor."}))
def list_cases(platform: PlatformDep, service: CasesDep, caller: Reader, status: Status | None = None,
               territory: Annotated[DepartementCode | None, Query(examples=["44"])] = None,
               regime: Regime | None = None,
               person: Annotated[EntityId | None, Query(examples=[examples.PERSON_ID])] = None,
               limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    after = decode_cursor(cursor, datetime, str) if cursor else None
    with platform.db.transaction() as session:
        found = service.listed(on_session(session, platform.outbox), caller,
                               CaseFilter(status, territory, regime, person), after, limit)
    last = found[-1][0] if len(found) == limit else None
    return {"items": [case_out(case, view) for case, view in found],
            "next_cursor": encode_cursor([last.opened_at.isoformat(), last.id]) if last else None}


@router.get("/cases/{case_id}", response_model=SanctionCaseOut, summary="A case and its timeline (the CAF: its decision)",
            responses=documented(200, examples.CASE, {**AUTH_ERRORS, **NOT_VISIBLE}, sends=("ETag",)))
def read_case(case_id: CaseId, platform: PlatformDep, service: CasesDep, caller: Reader,
              response: Response) -> dict[str, Any]:
    with platform.db.transaction() as session:
        case, view = service.read(on_session(session, platform.outbox), caller, case_id)
    response.headers["ETag"] = etag(case.version)
    return case_out(case, view)


def _act(request: Request, platform: PlatformDep, service: CasesDep, caller: Caller, case_id: str, body: Any,
         if_match: str | None, key: str | None, command: Callable[[Case, datetime], None]) -> JSONResponse:
    def operation(session) -> StoredResponse:
        case = service.act(on_session(session, platform.outbox), caller, case_id,
                           lambda version: check_if_match(if_match, version), command)
        return StoredResponse(200, case_out(case, "case"), {"ETag": etag(case.version)})
    return idempotent_response(request, platform.db, caller.client_id, key, body.model_dump(mode="json"), operation)


def _example(command: str) -> Any:
    summary, value = examples.COMMANDS[command]
    return Body(openapi_examples={command: {"summary": summary, "value": value}})


def _documented(command: str, summary: str):
    return {"response_model": SanctionCaseOut, "summary": summary,
            "responses": documented(200, examples.ANSWERS[command], CHANGE_ERRORS, sends=("ETag",))}


def _if_match(command: str):
    """The ETag the case has when the documented journey reaches this command's example."""
    return if_match_header("case", f'"{examples.VERSION_BEFORE[command]}"')


@router.post("/cases/{case_id}/observations", **_documented("observations", "Record the person's observations; an "
             "accepted legitimate reason or droit à l'erreur closes the case without sanction"))
def record_observations(request: Request, case_id: CaseId, platform: PlatformDep, service: CasesDep, caller: Decider,
                        body: Annotated[SanctionObservationsIn, _example("observations")],
                        if_match: _if_match("observations") = None,
                        idempotency_key: idempotency_key_header("example-observations") = None) -> JSONResponse:
    ground = Ground(body.accepted_ground) if body.accepted_ground else None
    return _act(request, platform, service, caller, case_id, body, if_match, idempotency_key,
                lambda case, now: case.record_observations(body.text, ground, caller.org_id, now))


@router.post("/cases/{case_id}/opinion", **_documented("opinion", "Record the équipe pluridisciplinaire's opinion"))
def give_opinion(request: Request, case_id: CaseId, platform: PlatformDep, service: CasesDep, caller: Decider,
                 body: Annotated[SanctionOpinionIn, _example("opinion")], if_match: _if_match("opinion") = None,
                 idempotency_key: idempotency_key_header("example-opinion") = None) -> JSONResponse:
    return _act(request, platform, service, caller, case_id, body, if_match, idempotency_key,
                lambda case, now: case.give_opinion(body.recommendation, body.comment, caller.org_id, now))


@router.post("/cases/{case_id}/decision", **_documented("decision", "Decide, within the scale: never before the "
             "observation period ended or the observations are in"))
def decide(request: Request, case_id: CaseId, platform: PlatformDep, service: CasesDep, caller: Decider,
           body: Annotated[SanctionDecisionIn, _example("decision")], if_match: _if_match("decision") = None,
           idempotency_key: idempotency_key_header("example-decision") = None) -> JSONResponse:
    return _act(request, platform, service, caller, case_id, body, if_match, idempotency_key,
                lambda case, now: case.decide(body.sanction, body.months, body.reduction_percent, caller.org_id, now))


@router.post("/cases/{case_id}/appeal", **_documented("appeal", "Record an appeal of the regime's kind"))
def appeal(request: Request, case_id: CaseId, platform: PlatformDep, service: CasesDep, caller: Decider,
           body: Annotated[SanctionAppealIn, _example("appeal")], if_match: _if_match("appeal") = None,
           idempotency_key: idempotency_key_header("example-appeal") = None) -> JSONResponse:
    return _act(request, platform, service, caller, case_id, body, if_match, idempotency_key,
                lambda case, now: case.appeal(body.kind, caller.org_id, now))


@router.post("/cases/{case_id}/lift", **_documented("lift", "Lift a sanction in force"))
def lift(request: Request, case_id: CaseId, platform: PlatformDep, service: CasesDep, caller: Decider,
         body: Annotated[SanctionReasonIn, _example("lift")], if_match: _if_match("lift") = None,
         idempotency_key: idempotency_key_header("example-lift") = None) -> JSONResponse:
    return _act(request, platform, service, caller, case_id, body, if_match, idempotency_key,
                lambda case, now: case.lift(body.reason, caller.org_id, now))


@router.post("/cases/{case_id}/annul", **_documented("annul", "Annul a decision (an appeal upheld)"))
def annul(request: Request, case_id: CaseId, platform: PlatformDep, service: CasesDep, caller: Decider,
          body: Annotated[SanctionReasonIn, _example("annul")], if_match: _if_match("annul") = None,
          idempotency_key: idempotency_key_header("example-annul") = None) -> JSONResponse:
    return _act(request, platform, service, caller, case_id, body, if_match, idempotency_key,
                lambda case, now: case.annul(body.reason, caller.org_id, now))
