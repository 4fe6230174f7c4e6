"""HTTP routes of the shared dossier: translate requests to service calls, results to responses."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from services.core.http import AUTH_ERRORS, Cursor, Limit, check_if_match, decode_cursor, documented, encode_cursor, etag
from services.core.idempotency import StoredResponse, request_fingerprint, resource_id, run_idempotent
from services.core.problems import Problem, pydantic_errors, validation_problem
from services.dossier.api import examples
from services.dossier.api.deps import PlatformDep, Reader, ServiceDep, Writer
from services.dossier.api.schemas import Contract, DiagnosticPatch, ReviewCreate, Signature
from services.dossier.domain.policy import Purpose
from services.dossier.domain.sections import CONTRACT, DIAGNOSTIC, VIEW_SECTIONS, AlreadySigned, DossierError, NothingToSign
from services.dossier.service.handlers import Forbidden, NotFound, VersionConflict

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])

PersonId = Annotated[str, Path(description="The person's id (their registration id).", examples=[examples.PERSON_ID],
                               pattern=r"^[0-9a-f-]{36}$")]
ReviewId = Annotated[str, Path(description="Review id, from the Location of its creation.", examples=[examples.REVIEW_ID],
                               pattern=r"^[0-9a-f-]{36}$")]
PurposeQuery = Annotated[Purpose, Query(description="Why you read this dossier; kept in the person's access log.",
                                        examples=["accompaniment"])]
IfMatch = Annotated[str | None, Header(alias="If-Match", description='ETag of the section you read ("0" while empty).',
                                       examples=['"0"'])]


def idempotency_key(example: str):
    return Annotated[str | None, Header(alias="Idempotency-Key", description=(
        "Makes the POST safe to retry: the same key and body return the first answer; "
        "another body with the same key gets 409."), examples=[example])]


READ_ERRORS = {**AUTH_ERRORS, 404: "No dossier for this person that your organisation may know about.",
               422: "Invalid request; `purpose` is required, `errors` names each field."}
SECTION_ERRORS = {**READ_ERRORS, 403: "The token lacks the scope, or your organisation may not read this section."}
WRITE_ERRORS = {**AUTH_ERRORS, 403: "The token lacks the scope, or your organisation may not change this section.",
                404: READ_ERRORS[404], 422: "The section would not be valid; `errors` names each field."}
PATCH_ERRORS = {**WRITE_ERRORS, 412: "Stale ETag: another partner changed the section; read it again, reapply.",
                428: "If-Match is required."}


def _domain_errors(fn):
    """Domain refusals become problem+json; kept in one place for every route."""
    try:
        return fn()
    except ValidationError as exc:
        raise validation_problem(pydantic_errors(exc.errors())) from exc
    except NotFound as exc:
        raise Problem(404, "No dossier with this id is visible to your organisation.", slug="not-found") from exc
    except Forbidden as exc:
        raise Problem(403, str(exc), slug="forbidden") from exc
    except VersionConflict as exc:
        raise Problem(412, "The section changed since you read it; read it again and reapply your change.",
                      slug="stale-etag") from exc
    except (NothingToSign, AlreadySigned) as exc:
        raise Problem(409, str(exc), slug="invalid-transition") from exc
    except DossierError as exc:
        raise Problem(422, str(exc), slug="validation-error", errors=[{"field": exc.field, "message": str(exc)}]) from exc


def _page(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    return {"items": items, "next_cursor": encode_cursor([items[-1]["id"]]) if len(items) == limit else None}


def _before(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    (last_id,) = decode_cursor(cursor, 1)
    if not isinstance(last_id, int):
        raise Problem(422, "The cursor is not valid; use next_cursor from the previous page.", slug="validation-error",
                      errors=[{"field": "cursor", "message": "invalid cursor"}])
    return last_id


@router.get("/{person_id}", summary="Read a person's dossier: the sections your organisation may see",
            responses=documented(200, examples.DOSSIER, READ_ERRORS))
def read_dossier(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                 caller: Reader) -> JSONResponse:
    with platform.db.transaction() as session:
        return JSONResponse(_domain_errors(lambda: service.view(session, caller, person_id, purpose)))


@router.get("/{person_id}/history", summary="Who changed what in the dossier, and when (newest first)",
            responses=documented(200, examples.HISTORY_PAGE, SECTION_ERRORS))
def read_history(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                 caller: Reader, limit: Limit = 20, cursor: Cursor = None) -> JSONResponse:
    with platform.db.transaction() as session:
        items = _domain_errors(lambda: service.history(session, caller, person_id, purpose, _before(cursor), limit))
    return JSONResponse(_page(_jsonable(items), limit))


@router.get("/{person_id}/access-log", summary="Who read or changed the dossier, for what purpose (newest first)",
            description="The person's right to know who looked at their file: for a counsellor of France Travail "
                        "or of the referent organisation acting on the person's request.",
            responses=documented(200, examples.ACCESS_LOG_PAGE, SECTION_ERRORS))
def read_access_log(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                    caller: Reader, limit: Limit = 20, cursor: Cursor = None) -> JSONResponse:
    with platform.db.transaction() as session:
        items = _domain_errors(lambda: service.access_log(session, caller, person_id, purpose, _before(cursor), limit))
    return JSONResponse(_page(_jsonable(items), limit))


@router.get("/{person_id}/reviews/{review_id}", summary="Read one point d'étape",
            responses=documented(200, examples.REVIEW, SECTION_ERRORS))
def read_review(person_id: PersonId, review_id: ReviewId, purpose: PurposeQuery, platform: PlatformDep,
                service: ServiceDep, caller: Reader) -> JSONResponse:
    with platform.db.transaction() as session:
        return JSONResponse(_domain_errors(lambda: service.review(session, caller, person_id, review_id, purpose)))


def _section_reader(name: str):
    def read_section(person_id: PersonId, purpose: PurposeQuery, platform: PlatformDep, service: ServiceDep,
                     caller: Reader) -> JSONResponse:
        with platform.db.transaction() as session:
            body, version = _domain_errors(lambda: service.section(session, caller, person_id, name, purpose))
        return JSONResponse(body, headers={"ETag": etag(version)})
    return read_section


# One concrete path per section rather than `/{section}`: each is documented with its own example, and
# a path's documented methods are exactly those it answers (GET and PATCH on /diagnostic).
for _name in VIEW_SECTIONS:
    router.add_api_route(f"/{{person_id}}/{_name}", _section_reader(_name), methods=["GET"],
                         name=f"read_{_name}", summary=f"Read the {_name.replace('_', ' ')} section, with its ETag",
                         responses=documented(200, examples.SECTIONS[_name], SECTION_ERRORS))


def _patch(platform, service, caller, person_id: str, name: str, patch: dict, if_match: str | None) -> JSONResponse:
    with platform.db.transaction() as session:
        body, version = _domain_errors(lambda: service.patch(session, caller, person_id, name, patch,
                                                             lambda current: check_if_match(if_match, current)))
    return JSONResponse(body, headers={"ETag": etag(version)})


@router.patch("/{person_id}/diagnostic", summary="Write the diagnostic France Travail (JSON merge patch)",
              responses=documented(200, examples.DIAGNOSTIC, PATCH_ERRORS))
def patch_diagnostic(
    person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    changes: Annotated[DiagnosticPatch, Body(openapi_examples={"first_interview": {
        "summary": "The six fields after the first interview", "value": examples.DIAGNOSTIC_PATCH}})],
    if_match: IfMatch = None,
) -> JSONResponse:
    return _patch(platform, service, caller, person_id, DIAGNOSTIC, changes.model_dump(mode="json", exclude_unset=True),
                  if_match)


@router.patch("/{person_id}/contract", summary="Write the contrat d'engagements réciproques (JSON merge patch)",
              responses=documented(200, {**examples.CONTRACT, "signature": None}, PATCH_ERRORS))
def patch_contract(
    person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    changes: Annotated[Contract, Body(openapi_examples={"agreed": {
        "summary": "Objectives, actions and obligations agreed with the referent", "value": examples.CONTRACT_PATCH}})],
    if_match: IfMatch = None,
) -> JSONResponse:
    return _patch(platform, service, caller, person_id, CONTRACT, changes.model_dump(mode="json", exclude_unset=True),
                  if_match)


@router.post("/{person_id}/contract/signature", summary="Record the person's signature of the contract's current version",
             description="Answers the signed contract. With If-Match, the signature applies only to the version read.",
             responses=documented(200, examples.CONTRACT, {
                 **WRITE_ERRORS, 409: "Nothing to sign yet, this version is already signed, or Idempotency-Key reused.",
                 412: "Stale ETag: the contract changed since you read it."}))
def sign_contract(
    request: Request, person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    signature: Annotated[Signature, Body(openapi_examples={"on_site": {
        "summary": "Signed at the agency", "value": {"channel": "on_site"}}})],
    if_match: IfMatch = None, idempotency_key: idempotency_key(examples.SIGNATURE_IDEMPOTENCY_KEY) = None,
) -> JSONResponse:
    def check_version(current: int) -> None:
        if if_match is not None:
            check_if_match(if_match, current)

    def operation(session) -> StoredResponse:
        body, version = service.sign(session, caller, person_id, signature.channel, check_version)
        return StoredResponse(200, body, {"ETag": etag(version)})

    fingerprint = request_fingerprint("POST", request.url.path, signature.model_dump(mode="json"))
    return _domain_errors(lambda: run_idempotent(
        platform.db, caller.client_id, idempotency_key, fingerprint, operation)).response()


@router.post("/{person_id}/reviews", status_code=201, summary="Record a point d'étape",
             responses=documented(201, examples.REVIEW, {
                 **WRITE_ERRORS, 409: "Idempotency-Key reused with another body."}))
def record_review(
    request: Request, person_id: PersonId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    review: Annotated[ReviewCreate, Body(openapi_examples={"six_months": {
        "summary": "The six-month review", "value": examples.REVIEW_CREATE}})],
    idempotency_key: idempotency_key(examples.REVIEW_IDEMPOTENCY_KEY) = None,
) -> JSONResponse:
    body = review.model_dump(mode="json")

    def operation(session) -> StoredResponse:
        review_id = resource_id(caller.client_id, idempotency_key)
        item = service.record_review(session, caller, person_id, review_id, body)
        return StoredResponse(201, item, {"Location": f"/v1/dossiers/{person_id}/reviews/{review_id}"})

    fingerprint = request_fingerprint("POST", request.url.path, body)
    return _domain_errors(lambda: run_idempotent(
        platform.db, caller.client_id, idempotency_key, fingerprint, operation)).response()


def _jsonable(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**item, "at": item["at"].isoformat()} for item in items]
