"""HTTP routes of the registration service: translate requests to commands, results to responses."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from services.core.http import Cursor, DateTime, Limit, check_if_match, decode_cursor, encode_cursor, etag
from services.core.idempotency import StoredResponse, request_fingerprint, resource_id, run_idempotent
from pydantic import ValidationError

from services.core.problems import Problem, pydantic_errors, validation_problem
from services.registration.adapters.repository import ListQuery
from services.registration.api import examples
from services.registration.api.deps import PlatformDep, Reader, ServiceDep, Writer
from services.registration.api.schemas import (
    RegistrationCreate, RegistrationOut, RegistrationPage, RegistrationPatch,
)
from services.registration.domain.model import (
    AlreadyRegistered, InvalidTransition, Registration, RegistrationError,
)
from services.registration.domain.policy import visible_sections
from services.registration.service.handlers import Forbidden, NotFound

router = APIRouter(prefix="/v1/registrations", tags=["registrations"])

RegistrationId = Annotated[str, Path(description="Registration id (UUID).", examples=[examples.EXAMPLE_REGISTRATION_ID],
                                     pattern=r"^[0-9a-f-]{36}$")]
PreRegistrationId = Annotated[str, Path(description="Id of a pre-registration (status pre_registered).",
                                        examples=[examples.EXAMPLE_PRE_REGISTRATION_ID], pattern=r"^[0-9a-f-]{36}$")]


def idempotency_key(example: str):
    # Keys are per client across operations: each operation's example needs its own key.
    return Annotated[str | None, Header(alias="Idempotency-Key", description=(
        "Makes the POST safe to retry: the same key and body return the first answer; "
        "another body with the same key gets 409."), examples=[example])]


IdempotencyKey = idempotency_key(examples.EXAMPLE_IDEMPOTENCY_KEY)
ConfirmIdempotencyKey = idempotency_key(examples.EXAMPLE_CONFIRM_IDEMPOTENCY_KEY)
IfMatch = Annotated[str | None, Header(alias="If-Match", description="ETag of the version you read.", examples=['"1"'])]

ERRORS = {
    401: {"description": "Missing, invalid or expired access token."},
    403: {"description": "The token lacks the scope, or your organisation may not act on this person."},
    422: {"description": "The request is not valid; `errors` names each field."},
}
PROBLEM = {"content": {"application/problem+json": {}}}


def _responses(ok: int, example: dict, *codes: int, **extra: dict) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {ok: {"content": {"application/json": {"example": example}}}}
    out.update({code: {**ERRORS.get(code, {}), **PROBLEM} for code in codes})
    for code, spec in extra.items():
        out[int(code.lstrip("_"))] = {**spec, **PROBLEM}
    return out


def to_out(registration: Registration, sections: tuple[str, ...], today: date) -> dict[str, Any]:
    """The response body, limited to the sections the caller's organisation type may read."""
    s = registration.sections
    body: dict[str, Any] = {
        "id": registration.id, "status": registration.status, "channel": registration.channel,
        "possible_duplicate_of": registration.possible_duplicate_of,
        "registered_at": registration.registered_at, "created_at": registration.created_at,
        "updated_at": registration.updated_at,
    }
    derived = {
        "identity": {"nir_masked": registration.nir_masked},
        "address": {"departement_code": registration.territory.departement_code,
                    "region_code": registration.territory.region_code},
        "situation": {"under_26": registration.under_26_on(today)},
    }
    for section in sections:
        if section in s:
            body[section] = {**s[section], **derived.get(section, {})}
    return RegistrationOut.model_validate(body).model_dump(mode="json")


def _domain_errors(fn):
    """Domain refusals become problem+json; kept in one place for every route."""
    try:
        return fn()
    except ValidationError as exc:
        raise validation_problem(pydantic_errors(exc.errors())) from exc
    except AlreadyRegistered as exc:
        raise Problem(409, str(exc), slug="already-registered",
                      existing_registration=f"/v1/registrations/{exc.existing_id}") from exc
    except InvalidTransition as exc:
        raise Problem(409, str(exc), slug="invalid-transition") from exc
    except RegistrationError as exc:
        raise Problem(422, str(exc), slug="validation-error",
                      errors=[{"field": exc.field or "body", "message": str(exc)}]) from exc
    except NotFound as exc:
        raise Problem(404, "No registration with this id is visible to your organisation.", slug="not-found") from exc
    except Forbidden as exc:
        raise Problem(403, str(exc), slug="forbidden") from exc


@router.post(
    "", status_code=201, response_model=RegistrationOut, summary="Register a person (inscription unique)",
    responses=_responses(201, examples.REGISTRATION_OUT, 401, 403, 422, _409={"description": "Same NIR as an existing registration, or "
                                                         "Idempotency-Key reused with another body."}),
)
def register(
    request: Request, platform: PlatformDep, service: ServiceDep, caller: Writer,
    payload: Annotated[RegistrationCreate, Body(openapi_examples={"camille": {
        "summary": "A young RSA recipient registering at a Nantes agency",
        "value": examples.REGISTRATION_CREATE}})],
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    data = payload.model_dump(mode="json", exclude={"channel"})

    def operation(session) -> StoredResponse:
        registration = service.register(session, caller, data, payload.channel,
                                         resource_id(caller.client_id, idempotency_key))
        return StoredResponse(201, to_out(registration, visible_sections(caller), service.today()), {
            "Location": f"/v1/registrations/{registration.id}", "ETag": etag(registration.version)})

    fingerprint = request_fingerprint("POST", request.url.path, payload.model_dump(mode="json"))
    return _domain_errors(lambda: run_idempotent(
        platform.db, caller.client_id, idempotency_key, fingerprint, operation)).response()


@router.get("", response_model=RegistrationPage, summary="List the registrations your organisation may see",
            responses=_responses(200, examples.REGISTRATION_PAGE, 401, 403, 422))
def list_registrations(
    platform: PlatformDep, service: ServiceDep, caller: Reader, limit: Limit = 20, cursor: Cursor = None,
    departement_code: Annotated[str | None, Query(pattern=r"^(\d{2}|2[AB]|97\d)$", examples=["44"])] = None,
    registered_from: Annotated[DateTime | None, Query(description="Registered at or after (RFC 3339).")] = None,
    registered_to: Annotated[DateTime | None, Query(description="Registered before (RFC 3339).")] = None,
    status: Annotated[str | None, Query(pattern="^(pre_registered|registered)$")] = None,
) -> dict[str, Any]:
    after = None
    if cursor:
        created_at, last_id = decode_cursor(cursor, 2)
        after = (_parse_cursor_time(created_at), str(last_id))
    query = ListQuery(departement_code=departement_code, registered_from=registered_from,
                      registered_to=registered_to, status=status, after=after, limit=limit)
    with platform.db.transaction() as session:
        page = service.list(session, caller, query)
    sections, today = visible_sections(caller), service.today()
    next_cursor = encode_cursor([page[-1].created_at.isoformat(), page[-1].id]) if len(page) == limit else None
    return {"items": [to_out(r, sections, today) for r in page], "next_cursor": next_cursor}


@router.get("/{registration_id}", response_model=RegistrationOut, summary="Read one registration",
            responses=_responses(200, examples.REGISTRATION_OUT, 401, 403, _404={"description": "Unknown, or not visible to your organisation."}))
def read_registration(registration_id: RegistrationId, platform: PlatformDep, service: ServiceDep,
                      caller: Reader, response: Response) -> dict[str, Any]:
    with platform.db.transaction() as session:
        registration = _domain_errors(lambda: service.get(session, caller, registration_id))
    response.headers["ETag"] = etag(registration.version)
    return to_out(registration, visible_sections(caller), service.today())


@router.patch(
    "/{registration_id}", response_model=RegistrationOut, summary="Correct a registration (JSON merge patch)",
    responses=_responses(200, examples.REGISTRATION_OUT, 401, 403, 422, _404={"description": "Unknown, or not visible to your organisation."},
                         _409={"description": "The NIR given belongs to another registration."},
                         _412={"description": "Stale ETag: read again, reapply."},
                         _428={"description": "If-Match is required."}),
)
def correct_registration(
    registration_id: RegistrationId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    changes: Annotated[RegistrationPatch, Body(openapi_examples={"new_phone": {
        "summary": "A new phone number and a wider search radius", "value": examples.REGISTRATION_PATCH}})],
    if_match: IfMatch = None,
) -> JSONResponse:
    with platform.db.transaction() as session:
        registration = _domain_errors(lambda: service.correct(
            session, caller, registration_id, changes.model_dump(exclude_unset=True),
            lambda version: check_if_match(if_match, version)))
    return JSONResponse(to_out(registration, visible_sections(caller), service.today()),
                        headers={"ETag": etag(registration.version)})


@router.post(
    "/{registration_id}/confirm", response_model=RegistrationOut,
    summary="Confirm a pre-registration prefilled from a partner's data, with corrections",
    responses=_responses(200, examples.CONFIRMED_OUT, 401, 403, 422, _404={"description": "Unknown, or not visible to your organisation."},
                         _409={"description": "Not a pre-registration, or Idempotency-Key reused."},
                         _412={"description": "Stale ETag: read again, reapply."},
                         _428={"description": "If-Match is required."}),
)
def confirm_registration(
    request: Request, registration_id: PreRegistrationId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    corrections: Annotated[RegistrationPatch, Body(openapi_examples={"complete": {
        "summary": "The person completes the pre-diagnostic and corrects the e-mail",
        "value": examples.CONFIRM_BODY}})],
    if_match: IfMatch = None, idempotency_key: ConfirmIdempotencyKey = None,
) -> JSONResponse:
    def operation(session) -> StoredResponse:
        registration = service.confirm(session, caller, registration_id, corrections.model_dump(exclude_unset=True),
                                       lambda version: check_if_match(if_match, version))
        return StoredResponse(200, to_out(registration, visible_sections(caller), service.today()),
                              {"ETag": etag(registration.version)})

    fingerprint = request_fingerprint("POST", request.url.path, corrections.model_dump(mode="json"))
    return _domain_errors(lambda: run_idempotent(
        platform.db, caller.client_id, idempotency_key, fingerprint, operation)).response()


def _parse_cursor_time(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise Problem(422, "The cursor is not valid; use next_cursor from the previous page.",
                      slug="validation-error", errors=[{"field": "cursor", "message": "invalid cursor"}]) from exc
