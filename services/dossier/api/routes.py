"""HTTP routes of the shared dossier: translate requests to service calls, results to responses."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from services.core.http import (
    AUTH_ERRORS, Cursor, Limit, decode_cursor, documented, encode_cursor, etag, id_path, idempotency_key_header,
    if_match_header,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.dossier.api import examples
from services.dossier.api.deps import PlatformDep, Reader, ServiceDep, Writer
from services.dossier.api.schemas import (
    SECTION_VIEWS, Contract, CorrectionAnswer, DiagnosticPatch, DossierAccessLogPage, DossierContract,
    DossierCorrection, DossierDiagnostic, DossierHistoryPage, DossierReview, DossierView, ReviewCreate, Signature,
)
from services.dossier.domain.policy import Purpose
from services.dossier.domain.sections import CONTRACT, DIAGNOSTIC, VIEW_SECTIONS
from services.dossier.service.unit_of_work import unit_of_work

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])

PersonId = id_path(examples.PERSON_ID, "The person's id (their registration id).")
ReviewId = id_path(examples.REVIEW_ID, "Review id, from the Location of its creation.")
CorrectionId = id_path(examples.CORRECTION_ID, "The correction request's id, from the person's request.")
PurposeQuery = Annotated[Purpose, Query(description="Why you read this dossier; kept in the person's access log.",
                                        examples=["accompaniment"])]
IfMatch = if_match_header("section", '"0"')
# The signature's example signs the contract its example wrote (version 1).
SignatureIfMatch = if_match_header("contract", '"1"')

READ_ERRORS = {**AUTH_ERRORS, 404: "No dossier for this person that your organisation may know about.",
               422: "Invalid request; `purpose` is required, `errors` names each field."}
SECTION_ERRORS = {**READ_ERRORS, 403: "The token lacks the scope, or your organisation may not read this section."}
WRITE_ERRORS = {**AUTH_ERRORS, 403: "The token lacks the scope, or your organisation may not change this section.",
                404: READ_ERRORS[404], 422: "The section would not be valid; `errors` names each field."}
PATCH_ERRORS = {**WRITE_ERRORS, 412: "Stale ETag: another partner changed the section; read it again, reapply.",
                428: "If-Match is required."}


def page(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    return {"items": items, "next_cursor": encode_cursor([items[-1]["id"]]) if len(items) == limit else None}


def before_id(cursor: str | None) -> int | None:
    return decode_cursor(cursor, int)[0] if cursor is not None else None


@router.get("/{person_id}", response_model=DossierView, summary="Read a person's dossier: the sections your organisation may see",
            responses=documented(200, examples.DOSSIER, READ_ERRORS))
def read_dossier(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                 caller: Reader) -> JSONResponse:
    with platform.db.transaction() as session:
        return JSONResponse(service.view(unit_of_work(session, platform.outbox), caller, person_id, purpose))


@router.get("/{person_id}/history", response_model=DossierHistoryPage, summary="Who changed what in the dossier, and when (newest first)",
            responses=documented(200, examples.HISTORY_PAGE, SECTION_ERRORS))
def read_history(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                 caller: Reader, limit: Limit = 20, cursor: Cursor = None) -> JSONResponse:
    before = before_id(cursor)
    with platform.db.transaction() as session:
        items = service.history(unit_of_work(session, platform.outbox), caller, person_id, purpose, before, limit)
    return JSONResponse(page(jsonable_accesses(items), limit))


@router.get("/{person_id}/access-log", response_model=DossierAccessLogPage,
            summary="Who read or changed the dossier, for what purpose (newest first)",
            description="The person's right to know who looked at their file: for a counsellor of France Travail "
                        "or of the referent organisation acting on the person's request.",
            responses=documented(200, examples.ACCESS_LOG_PAGE, SECTION_ERRORS))
def read_access_log(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                    caller: Reader, limit: Annotated[Limit, Query(examples=[2])] = 20,
                    cursor: Cursor = None) -> JSONResponse:
    before = before_id(cursor)
    with platform.db.transaction() as session:
        items = service.access_log(unit_of_work(session, platform.outbox), caller, person_id, purpose, before, limit)
    return JSONResponse(page(jsonable_accesses(items), limit))


@router.get("/{person_id}/reviews/{review_id}", response_model=DossierReview, summary="Read one point d'étape",
            responses=documented(200, examples.REVIEW, SECTION_ERRORS))
def read_review(person_id: PersonId, review_id: ReviewId, purpose: PurposeQuery, platform: PlatformDep,
                service: ServiceDep, caller: Reader) -> JSONResponse:
    with platform.db.transaction() as session:
        return JSONResponse(service.review(unit_of_work(session, platform.outbox), caller, person_id, review_id,
                                           purpose))


def _section_reader(name: str):
    def read_section(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                     caller: Reader) -> JSONResponse:
        with platform.db.transaction() as session:
            body, version = service.section(unit_of_work(session, platform.outbox), caller, person_id, name, purpose)
        return JSONResponse(body, headers={"ETag": etag(version)})
    return read_section


# One concrete path per section rather than `/{section}`: each is documented with its own example, and
# a path's documented methods are exactly those it answers (GET and PATCH on /diagnostic).
for _name in VIEW_SECTIONS:
    router.add_api_route(f"/{{person_id}}/{_name}", _section_reader(_name), methods=["GET"],
                         response_model=SECTION_VIEWS[_name],
                         name=f"read_{_name}_section", summary=f"Read the {_name.replace('_', ' ')} section, with its ETag",
                         responses=documented(200, examples.SECTIONS[_name], SECTION_ERRORS, sends=("ETag",)))


def _patch(platform, service, caller, person_id: str, name: str, patch: dict, if_match: str | None) -> JSONResponse:
    with platform.db.transaction() as session:
        body, version = service.patch(unit_of_work(session, platform.outbox), caller, person_id, name, patch, if_match)
    return JSONResponse(body, headers={"ETag": etag(version)})


@router.patch("/{person_id}/diagnostic", response_model=DossierDiagnostic, summary="Write the diagnostic France Travail (JSON merge patch)",
              responses=documented(200, examples.DIAGNOSTIC, PATCH_ERRORS, sends=("ETag",)))
def patch_diagnostic(
    person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    changes: Annotated[DiagnosticPatch, Body(openapi_examples={"first_interview": {
        "summary": "The six fields after the first interview", "value": examples.DIAGNOSTIC_PATCH}})],
    if_match: IfMatch = None,
) -> JSONResponse:
    return _patch(platform, service, caller, person_id, DIAGNOSTIC, changes.model_dump(mode="json", exclude_unset=True),
                  if_match)


@router.patch("/{person_id}/contract", response_model=DossierContract,
              summary="Write the contrat d'engagements réciproques (JSON merge patch)",
              responses=documented(200, {**examples.CONTRACT, "signature": None}, PATCH_ERRORS, sends=("ETag",)))
def patch_contract(
    person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    changes: Annotated[Contract, Body(openapi_examples={"agreed": {
        "summary": "Objectives, actions and obligations agreed with the referent", "value": examples.CONTRACT_PATCH}})],
    if_match: IfMatch = None,
) -> JSONResponse:
    return _patch(platform, service, caller, person_id, CONTRACT, changes.model_dump(mode="json", exclude_unset=True),
                  if_match)


@router.post("/{person_id}/contract/signature", response_model=DossierContract,
             summary="Record the person's signature of the contract's current version",
             description="Answers the signed contract. With If-Match, the signature applies only to the version read.",
             responses=documented(200, examples.CONTRACT, {
                 **WRITE_ERRORS, 409: "Nothing to sign yet, this version is already signed, or Idempotency-Key reused.",
                 412: "Stale ETag: the contract changed since you read it."}, sends=("ETag",)))
def sign_contract(
    request: Request, person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    signature: Annotated[Signature, Body(openapi_examples={"on_site": {
        "summary": "Signed at the agency", "value": {"channel": "on_site"}}})],
    if_match: SignatureIfMatch = None, idempotency_key: idempotency_key_header(examples.SIGNATURE_IDEMPOTENCY_KEY) = None,
) -> JSONResponse:
    def operation(session: Session) -> StoredResponse:
        body, version = service.sign(unit_of_work(session, platform.outbox), caller, person_id, signature.channel,
                                     if_match)
        return StoredResponse(200, body, {"ETag": etag(version)})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key,
                               signature.model_dump(mode="json"), operation)


@router.post("/{person_id}/reviews", status_code=201, response_model=DossierReview, summary="Record a point d'étape",
             responses=documented(201, examples.REVIEW, {
                 **WRITE_ERRORS, 409: "Idempotency-Key reused with another body."}, sends=("Location",)))
def record_review(
    request: Request, person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    review: Annotated[ReviewCreate, Body(openapi_examples={"six_months": {
        "summary": "A point d'étape with the referent", "value": examples.REVIEW_CREATE}})],
    idempotency_key: idempotency_key_header(examples.REVIEW_IDEMPOTENCY_KEY) = None,
) -> JSONResponse:
    body = review.model_dump(mode="json")

    def operation(session: Session) -> StoredResponse:
        review_id = resource_id(caller.client_id, idempotency_key)
        item = service.record_review(unit_of_work(session, platform.outbox), caller, person_id, review_id, body)
        return StoredResponse(201, item, {"Location": f"/v1/dossiers/{person_id}/reviews/{review_id}"})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body, operation)


@router.post("/{person_id}/corrections/{correction_id}/answer", response_model=DossierCorrection,
             summary="Answer a correction the person asked: accept or refuse it, with an answer they read",
             description="For the person's referent. The person reads the outcome on GET /v1/me/corrections; an "
                         "accepted correction is then made where the data lives (the diagnostic or contract by "
                         "PATCH here, the registration by its own API).",
             responses=documented(200, examples.ANSWERED_CORRECTION, {
                 **WRITE_ERRORS, 404: "No such dossier for your organisation, or no such request in it.",
                 409: "The request was already answered, or Idempotency-Key reused with another body."}))
def answer_correction(
    request: Request, person_id: PersonId, correction_id: CorrectionId, platform: PlatformDep,
    service: ServiceDep, caller: Writer,
    answer: Annotated[CorrectionAnswer, Body(openapi_examples={"accepted": {
        "summary": "The referent corrects the diagnostic", "value": examples.CORRECTION_ANSWER}})],
    idempotency_key: idempotency_key_header(examples.CORRECTION_ANSWER_IDEMPOTENCY_KEY) = None,
) -> JSONResponse:
    body = answer.model_dump(mode="json")

    def operation(session: Session) -> StoredResponse:
        answered = service.answer_correction(unit_of_work(session, platform.outbox), caller, person_id,
                                             correction_id, answer.outcome, answer.answer)
        return StoredResponse(200, answered, {})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body, operation)


def jsonable_accesses(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [jsonable_access(item) for item in items]


def jsonable_access(item: dict[str, Any]) -> dict[str, Any]:
    """A journal entry's moments as RFC 3339 text."""
    closed = item.get("procedure_closed_at")
    return {**item, "at": item["at"].isoformat(), **({"procedure_closed_at": closed.isoformat()} if closed else {})}
