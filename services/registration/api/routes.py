"""HTTP routes of the registration service: translate requests to commands, results to responses."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse

from services.core.app import Platform
from services.core.codes import DepartementCode
from services.core.health_data import REGISTRATION_PATHS, without_health
from services.core.http import (
    Cursor, DateTime, Limit, check_if_match, decode_cursor, documented, encode_cursor, etag, id_path,
    idempotency_key_header, if_match_header,
)
from services.core.identity import Caller
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.registration.api import examples
from services.registration.api.deps import PlatformDep, Reader, ServiceDep, Writer
from services.registration.api.schemas import (
    RegistrationCreate, RegistrationOut, RegistrationPage, RegistrationPatch,
)
from services.registration.domain.model import AlreadyRegistered, Registration
from services.registration.domain.policy import visible_sections
from services.registration.domain.repository import ListQuery
from services.registration.service.handlers import RegistrationService
from services.registration.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/registrations", tags=["registrations"])

RegistrationId = id_path(examples.EXAMPLE_REGISTRATION_ID, "Registration id (UUID).")
PreRegistrationId = id_path(examples.EXAMPLE_PRE_REGISTRATION_ID, "Id of a pre-registration (status pre_registered).")
IdempotencyKey = idempotency_key_header(examples.EXAMPLE_IDEMPOTENCY_KEY)
ConfirmIdempotencyKey = idempotency_key_header(examples.EXAMPLE_CONFIRM_IDEMPOTENCY_KEY)
IfMatch = if_match_header("version")

UNAUTHORISED = "Missing, invalid or expired access token."
FORBIDDEN = "The token lacks the scope, or your organisation may not act on this person."
INVALID = "The request is not valid; `errors` names each field."
NOT_VISIBLE = "Unknown, or not visible to your organisation."
STALE = "Stale ETag: read again, reapply."
# A NIR given that is already registered (to someone the caller may not see) counts against the
# client: past its allowance, NIR lookups pause, so that NIRs cannot be enumerated (issue 9).
NIR_LOOKUPS_PAUSED = ("Too many requests for this client, or too many NIRs already registered given by it "
                      "(`too-many-nir-conflicts`): retry after the delay given.")
IF_MATCH_REQUIRED = "If-Match is required."

T = TypeVar("T")


def recording_nir_conflicts(platform: Platform, service: RegistrationService, caller: Caller, action: str,
                            run: Callable[[], T]) -> T:
    """Run a command; a NIR conflict it meets is recorded in a transaction of its own, since the
    refused command's transaction rolls back."""
    try:
        return run()
    except AlreadyRegistered as refused:
        with platform.db.transaction() as session:
            service.record_nir_conflict(on_session(session, platform.outbox), caller, refused, action)
        raise


def derived_fields(registration: Registration, today: date) -> dict[str, dict[str, Any]]:
    """What the platform adds to the sections given, per section: the NIR's mask, the territory, the age."""
    return {
        "identity": {"nir_masked": registration.nir_masked},
        "address": {"departement_code": registration.territory.departement_code,
                    "region_code": registration.territory.region_code},
        "situation": {"under_26": registration.under_26_on(today)},
    }


def to_out(registration: Registration, sections: tuple[str, ...], today: date) -> dict[str, Any]:
    """The response body, limited to the sections the caller's organisation type may read."""
    s = registration.sections
    body: dict[str, Any] = {
        "id": registration.id, "status": registration.status, "channel": registration.channel,
        "possible_duplicate_of": registration.possible_duplicate_of,
        "registered_at": registration.registered_at, "created_at": registration.created_at,
        "updated_at": registration.updated_at,
    }
    derived = derived_fields(registration, today)
    for section in sections:
        if section in s:
            body[section] = {**s[section], **derived.get(section, {})}
    # Health data is for the person's referent only, a relation orientation establishes and this
    # service does not know: no reader gets it here; the referent reads it in the dossier.
    return RegistrationOut.model_validate(without_health(body, REGISTRATION_PATHS)).model_dump(mode="json")


@router.post(
    "", status_code=201, response_model=RegistrationOut, summary="Register a person (inscription unique)",
    responses=documented(201, examples.REGISTRATION_OUT, {
        401: UNAUTHORISED, 403: FORBIDDEN, 422: INVALID,
        409: "Same NIR as an existing registration, or Idempotency-Key reused with another body.",
        429: NIR_LOOKUPS_PAUSED}, sends=("Location", "ETag")),
)
def register_person(
    request: Request, platform: PlatformDep, service: ServiceDep, caller: Writer,
    payload: Annotated[RegistrationCreate, Body(openapi_examples={"camille": {
        "summary": "A young RSA recipient registering at a Nantes agency",
        "value": examples.REGISTRATION_CREATE}})],
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    data = payload.model_dump(mode="json", exclude={"channel"})

    def operation(session) -> StoredResponse:
        registration = service.register(on_session(session, platform.outbox), caller, data, payload.channel,
                                        resource_id(caller.client_id, idempotency_key))
        return StoredResponse(201, to_out(registration, visible_sections(caller), service.today()), {
            "Location": f"/v1/registrations/{registration.id}", "ETag": etag(registration.version)})

    return recording_nir_conflicts(platform, service, caller, "register", lambda: idempotent_response(
        request, platform.db, caller.client_id, idempotency_key, payload.model_dump(mode="json"), operation))


@router.get("", response_model=RegistrationPage, summary="List the registrations your organisation may see",
            responses=documented(200, examples.REGISTRATION_PAGE, {401: UNAUTHORISED, 403: FORBIDDEN, 422: INVALID}))
def list_registrations(
    platform: PlatformDep, service: ServiceDep, caller: Reader, limit: Limit = 20, cursor: Cursor = None,
    departement_code: Annotated[DepartementCode | None, Query(examples=["44"])] = None,
    registered_from: Annotated[DateTime | None, Query(description="Registered at or after (RFC 3339).")] = None,
    registered_to: Annotated[DateTime | None, Query(description="Registered before (RFC 3339).")] = None,
    status: Annotated[Literal["pre_registered", "registered"] | None, Query()] = None,
) -> dict[str, Any]:
    # The page's sort key: (created_at, id) of its last item.
    after = decode_cursor(cursor, datetime, str) if cursor else None
    query = ListQuery(departement_code=departement_code, registered_from=registered_from,
                      registered_to=registered_to, status=status, after=after, limit=limit)
    with platform.db.transaction() as session:
        page = service.list(on_session(session, platform.outbox), caller, query)
    sections, today = visible_sections(caller), service.today()
    next_cursor = encode_cursor([page[-1].created_at, page[-1].id]) if len(page) == limit else None
    return {"items": [to_out(r, sections, today) for r in page], "next_cursor": next_cursor}


@router.get("/{registration_id:uuid_text}", response_model=RegistrationOut, summary="Read one registration",
            responses=documented(200, examples.REGISTRATION_OUT, {
                401: UNAUTHORISED, 403: FORBIDDEN, 404: NOT_VISIBLE}, sends=("ETag",)))
def read_registration(registration_id: RegistrationId, platform: PlatformDep, service: ServiceDep,
                      caller: Reader) -> JSONResponse:
    # A transaction that commits, not a snapshot: an organisation's read is told to the person's access
    # log, an outbox row of the read's own transaction (issue 15). The body is answered as built (to_out
    # validates it against RegistrationOut): returned as a dict, FastAPI would validate it again, in a
    # second hop to the thread pool.
    with platform.db.transaction() as session:
        registration = service.get(on_session(session, platform.outbox), caller, registration_id)
    return JSONResponse(to_out(registration, visible_sections(caller), service.today()),
                        headers={"ETag": etag(registration.version)})


@router.patch(
    "/{registration_id:uuid_text}", response_model=RegistrationOut, summary="Correct a registration (JSON merge patch)",
    responses=documented(200, examples.REGISTRATION_OUT, {
        401: UNAUTHORISED, 403: FORBIDDEN, 422: INVALID, 404: NOT_VISIBLE,
        409: "The NIR given belongs to another registration.", 412: STALE, 428: IF_MATCH_REQUIRED,
        429: NIR_LOOKUPS_PAUSED}, sends=("ETag",)),
)
def correct_registration(
    registration_id: RegistrationId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    changes: Annotated[RegistrationPatch, Body(openapi_examples={"new_phone": {
        "summary": "A new phone number and a wider search radius", "value": examples.REGISTRATION_PATCH}})],
    if_match: IfMatch = None,
) -> JSONResponse:
    def operation() -> Registration:
        with platform.db.transaction() as session:
            return service.correct(on_session(session, platform.outbox), caller, registration_id,
                                   changes.model_dump(exclude_unset=True), lambda version: check_if_match(if_match, version))

    registration = recording_nir_conflicts(platform, service, caller, "correct", operation)
    return JSONResponse(to_out(registration, visible_sections(caller), service.today()),
                        headers={"ETag": etag(registration.version)})


@router.post(
    "/{registration_id:uuid_text}/confirm", response_model=RegistrationOut,
    summary="Confirm a pre-registration prefilled from a partner's data, with corrections",
    responses=documented(200, examples.CONFIRMED_OUT, {
        401: UNAUTHORISED, 403: FORBIDDEN, 422: INVALID, 404: NOT_VISIBLE,
        409: "Not a pre-registration, or Idempotency-Key reused.", 412: STALE, 428: IF_MATCH_REQUIRED,
        429: NIR_LOOKUPS_PAUSED}, sends=("ETag",)),
)
def confirm_registration(
    request: Request, registration_id: PreRegistrationId, platform: PlatformDep, service: ServiceDep, caller: Writer,
    corrections: Annotated[RegistrationPatch, Body(openapi_examples={"complete": {
        "summary": "The person completes the pre-diagnostic and corrects the e-mail",
        "value": examples.CONFIRM_BODY}})],
    if_match: IfMatch = None, idempotency_key: ConfirmIdempotencyKey = None,
) -> JSONResponse:
    def operation(session) -> StoredResponse:
        registration = service.confirm(on_session(session, platform.outbox), caller, registration_id,
                                       corrections.model_dump(exclude_unset=True),
                                       lambda version: check_if_match(if_match, version))
        return StoredResponse(200, to_out(registration, visible_sections(caller), service.today()),
                              {"ETag": etag(registration.version)})

    return recording_nir_conflicts(platform, service, caller, "confirm", lambda: idempotent_response(
        request, platform.db, caller.client_id, idempotency_key, corrections.model_dump(mode="json"), operation))
