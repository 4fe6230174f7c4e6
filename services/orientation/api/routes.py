"""HTTP routes of orientation decisions, referentials and what-if simulations."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response
from fastapi.responses import JSONResponse

from services.core.errors import NotFound, RuleBroken
from services.core.http import (
    AUTH_ERRORS, Cursor, Limit, RequestBody, check_if_match, decode_cursor, documented, encode_cursor, etag,
    id_path, idempotency_key_header, if_match_header,
)
from services.core.app import Platform
from services.core.idempotency import StoredResponse, idempotent_response
from services.core.identity import Caller
from services.orientation.adapters.repository import decision_json
from services.orientation.api import examples
from services.orientation.api.deps import Decider, PlatformDep, Reader, ServiceDep
from services.orientation.api.schemas import (
    AMENDMENT_FIELDS, InterviewIn, OrientationOut, PreferenceIn, ReferentialOut, ReferentialPage, ReferentialPut, ReorientationIn,
    Territory, ValidateIn, WhatIfIn, WhatIfOut,
)
from services.orientation.domain.model import Choice, Orientation
from services.orientation.domain.referential import ReferentialVersion
from services.orientation.service.ports import OrientationUnitOfWork
from services.orientation.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/orientation", tags=["orientation"])

ValidateKey = idempotency_key_header(examples.VALIDATE_KEY)
InterviewKey = idempotency_key_header(examples.INTERVIEW_KEY)
PreferenceKey = idempotency_key_header(examples.PREFERENCE_KEY)
ReorientationKey = idempotency_key_header(examples.REORIENTATION_KEY)
# Each command's example ETag is the version its example meets in the documented journey.
ProposalIfMatch = if_match_header("orientation", '"1"')
PreferredIfMatch = if_match_header("orientation", '"2"')
DecidedIfMatch = if_match_header("orientation", '"2"')
ReferentialIfMatch = if_match_header("referential")

PersonId = id_path(examples.PERSON_ID, "The person's registration id.")
# The interview and the re-orientation examples are Sofiane's, whose orientation the département decides.
InterviewedPersonId = id_path(examples.SOFIANE_ID, "The person's registration id.")
TerritoryPath = Annotated[Territory, Path(description="`national` or a département code.", examples=["44"])]
NOT_VISIBLE = {404: "Unknown, or not visible to your organisation."}
CHANGE_ERRORS = {**AUTH_ERRORS, **NOT_VISIBLE, 409: "Not possible in the orientation's current status, or "
                 "Idempotency-Key reused.", 412: "Stale ETag: read again, reapply.", 428: "If-Match is required.",
                 422: "The request is not valid; `errors` names each field."}


def orientation_out(orientation: Orientation) -> dict[str, Any]:
    person = orientation.person
    return OrientationOut.model_validate({
        "person_id": person.person_id, "departement_code": person.departement_code,
        "rsa_recipient": person.rsa_recipient, "registered_at": person.registered_at, "version": orientation.version,
        "status": orientation.status, "decision_due_at": orientation.decision_due_at,
        "preferred_org_type": orientation.preferred_org_type, "current": decision_json(orientation.current),
        "history": [decision_json(d) for d in orientation.history],
    }).model_dump(mode="json")


def referential_out(version: ReferentialVersion) -> dict[str, Any]:
    return ReferentialOut.model_validate(version, from_attributes=True).model_dump(mode="json")


def _changed(orientation: Orientation, status: int = 200) -> StoredResponse:
    headers = {"ETag": etag(orientation.version)}
    if status == 201:
        headers["Location"] = f"/v1/orientation/decisions/{orientation.person.person_id}"
    return StoredResponse(status, orientation_out(orientation), headers)


def _act(request: Request, platform: Platform, caller: Caller, key: str | None, body: RequestBody,
         command: Callable[[OrientationUnitOfWork], Orientation], status: int = 200) -> JSONResponse:
    """A command on one orientation, in one transaction with its events, replayed from its Idempotency-Key."""
    return idempotent_response(request, platform.db, caller.client_id, key, body.model_dump(mode="json"),
                               lambda session: _changed(command(on_session(session, platform.outbox)), status))


@router.get("/decisions/{person_id}", response_model=OrientationOut, summary="A person's orientation and its history",
            responses=documented(200, examples.ORIENTATION, {**AUTH_ERRORS, **NOT_VISIBLE}, sends=("ETag",)))
def read_orientation(person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Reader,
                     response: Response) -> dict[str, Any]:
    with platform.db.transaction() as session:
        orientation = service.get(on_session(session, platform.outbox), caller, person_id)
    response.headers["ETag"] = etag(orientation.version)
    return orientation_out(orientation)


@router.post("/decisions/{person_id}/validate", response_model=OrientationOut,
             summary="The département of residence decides an RSA recipient's orientation (as proposed or amended)",
             responses=documented(200, examples.ORIENTATION, CHANGE_ERRORS, sends=("ETag",)))
def validate_orientation(request: Request, person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Decider,
             body: Annotated[ValidateIn, Body(openapi_examples={
                 "as_proposed": {"summary": "Validate the proposal as it is", "value": examples.VALIDATE_AS_PROPOSED},
                 "amended": {"summary": "Decide otherwise, with a reason", "value": examples.VALIDATE_AMENDED}})],
             if_match: PreferredIfMatch = None,
             idempotency_key: ValidateKey = None) -> JSONResponse:
    fields = (body.pathway, body.referent_org_type, body.intensity)
    if any(fields) and not (all(fields) and body.reason):
        given = body.model_dump(include=set(AMENDMENT_FIELDS), exclude_none=True)
        raise RuleBroken("An amendment gives pathway, referent_org_type, intensity and a reason.",
                         errors=[{"field": name, "message": "missing from the amendment"}
                                 for name in AMENDMENT_FIELDS if name not in given])
    amendment = Choice(body.pathway, body.referent_org_type, body.intensity) if all(fields) else None
    return _act(request, platform, caller, idempotency_key, body, lambda uow: service.validate(
        uow, caller, person_id, amendment, body.reason, body.comment, lambda version: check_if_match(if_match, version)))


@router.post("/decisions/{person_id}/interview", response_model=OrientationOut,
             summary="Record the outcome of a giratoire orientation interview",
             responses=documented(200, examples.INTERVIEWED_ORIENTATION, CHANGE_ERRORS, sends=("ETag",)))
def record_interview(request: Request, person_id: InterviewedPersonId, platform: PlatformDep, service: ServiceDep,
                     caller: Decider, body: Annotated[InterviewIn, Body(openapi_examples={"outcome": {
                         "summary": "Professional pathway with France Travail", "value": examples.INTERVIEW}})],
                     if_match: ProposalIfMatch = None,
                     idempotency_key: InterviewKey = None) -> JSONResponse:
    choice = Choice(body.pathway, body.referent_org_type, body.intensity)
    return _act(request, platform, caller, idempotency_key, body, lambda uow: service.record_interview(
        uow, caller, person_id, choice, body.notes, lambda version: check_if_match(if_match, version)))


@router.post("/decisions/{person_id}/preference", response_model=OrientationOut,
             summary="State the person's preferred organisation type; the rules run again with it",
             responses=documented(200, examples.PROPOSED_ORIENTATION, CHANGE_ERRORS, sends=("ETag",)))
def state_preference(request: Request, person_id: PersonId, platform: PlatformDep, service: ServiceDep,
                     caller: Decider, body: Annotated[PreferenceIn, Body(openapi_examples={"mission_locale": {
                         "summary": "A young person prefers the mission locale", "value": examples.PREFERENCE}})],
                     if_match: ProposalIfMatch = None,
                     idempotency_key: PreferenceKey = None) -> JSONResponse:
    return _act(request, platform, caller, idempotency_key, body, lambda uow: service.state_preference(
        uow, caller, person_id, body.org_type, lambda version: check_if_match(if_match, version)))


@router.post("/decisions/{person_id}/reorientations", status_code=201, response_model=OrientationOut,
             summary="Re-orient a person (e.g. at the first appointment)",
             responses=documented(201, examples.REORIENTED_ORIENTATION, CHANGE_ERRORS, sends=("Location", "ETag")))
def reorient_person(request: Request, person_id: InterviewedPersonId, platform: PlatformDep, service: ServiceDep, caller: Decider,
             body: Annotated[ReorientationIn, Body(openapi_examples={"social": {
                 "summary": "Towards the département's social support", "value": examples.REORIENTATION}})],
             if_match: DecidedIfMatch = None,
             idempotency_key: ReorientationKey = None) -> JSONResponse:
    choice = Choice(body.pathway, body.referent_org_type, body.intensity)
    return _act(request, platform, caller, idempotency_key, body, lambda uow: service.reorient(
        uow, caller, person_id, choice, body.reason, body.comment, lambda version: check_if_match(if_match, version)),
        201)


@router.post("/what-if", response_model=WhatIfOut,
             summary="Simulate a candidate referential over the current population (changes nothing)",
             responses=documented(200, examples.WHAT_IF_OUT, {**AUTH_ERRORS, 422: "Territory or referential not valid."}))
def simulate_orientation(platform: PlatformDep, service: ServiceDep, caller: Decider,
            body: Annotated[WhatIfIn, Body(openapi_examples={"operator_only": {
                "summary": "What if France Travail were everyone's referent in 44?", "value": examples.WHAT_IF}})],
            ) -> dict[str, Any]:
    # No Idempotency-Key: nothing is created or changed, so a retry is harmless by nature.
    with platform.db.transaction() as session:
        return service.what_if(on_session(session, platform.outbox), caller, body.territory, body.referential)


@router.get("/referentials/{territory}", response_model=ReferentialOut,
            summary="The referential version in force for a territory (a département: its override only)",
            responses=documented(200, examples.REFERENTIAL_OUT, {**AUTH_ERRORS, 404: "No referential for this territory; "
                                                                  "for a département, the national one applies."}, sends=("ETag",)))
def read_referential(territory: TerritoryPath, platform: PlatformDep, service: ServiceDep, caller: Reader,
                     response: Response) -> dict[str, Any]:
    with platform.db.transaction() as session:
        stored = service.stored_referential(on_session(session, platform.outbox), territory)
    if stored is None:
        raise NotFound("No referential of its own for this territory: the national referential applies.")
    response.headers["ETag"] = etag(stored.version)
    return referential_out(stored)


@router.get("/referentials/{territory}/versions", response_model=ReferentialPage,
            summary="Every version of a territory's referential, newest first",
            responses=documented(200, examples.REFERENTIAL_PAGE, {**AUTH_ERRORS, 422: "Invalid cursor."}))
def list_referential_versions(territory: TerritoryPath, platform: PlatformDep, service: ServiceDep, caller: Reader,
                         limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    before = decode_cursor(cursor, int)[0] if cursor else None
    with platform.db.transaction() as session:
        versions = service.referential_versions(on_session(session, platform.outbox), territory, before, limit)
    next_cursor = encode_cursor([versions[-1].version]) if len(versions) == limit else None
    return {"items": [referential_out(version) for version in versions], "next_cursor": next_cursor}


@router.put("/referentials/{territory}", response_model=ReferentialOut,
            summary="Store a new version of a territory's referential (admin)",
            responses=documented(200, examples.REFERENTIAL_OUT, {
                **AUTH_ERRORS, 403: "Requires the admin scope.", 409: "Another version was stored meanwhile.",
                412: "Stale ETag (when If-Match is given).", 422: "The referential is not valid; `errors` names the field."}, sends=("ETag",)))
def put_referential(territory: TerritoryPath, platform: PlatformDep, service: ServiceDep, caller: Decider,
                    body: Annotated[ReferentialPut, Body(openapi_examples={"delegate": {
                        "summary": "Loire-Atlantique delegates RSA orientation to the operator",
                        "value": examples.REFERENTIAL_PUT}})],
                    if_match: ReferentialIfMatch = None) -> JSONResponse:
    # If-Match is optional here (one admin team edits referentials) but honoured when given.
    with platform.db.transaction() as session:
        stored = service.put_referential(on_session(session, platform.outbox), caller, territory, body.referential,
                                         body.comment, lambda version: if_match is None or check_if_match(if_match, version))
    return JSONResponse(referential_out(stored), headers={"ETag": etag(stored.version)})
