"""The person's own registration (/v1/me/registration, scope `me`): read it whole, correct the contact.

The registration is the one the person's token names; no id is ever taken from the request, so a
person reaches their own registration and no one else's.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from fastapi.responses import JSONResponse

from services.core.http import check_if_match, documented, etag, if_match_header
from services.core.identity import PersonCaller
from services.registration.api import examples
from services.registration.api.deps import PlatformDep, ServiceDep
from services.registration.api.routes import derived_fields
from services.registration.api.schemas import PersonContactPatch, PersonRegistrationOut
from services.registration.domain.model import Registration
from services.registration.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/me/registration", tags=["me"])

# The example's version: Camille's registration once the agency corrected it (the examples' journey).
IfMatch = if_match_header("registration", '"2"')
ERRORS = {401: "Missing, invalid or expired access token.",
          403: "Not a person's token: this door is the person's own.",
          404: "No registration is yours on the platform."}


def to_person_out(registration: Registration, today: date) -> dict[str, Any]:
    """Every section the person gave, their health data included, with what the platform derives."""
    derived = derived_fields(registration, today)
    body: dict[str, Any] = {
        "id": registration.id, "status": registration.status, "channel": registration.channel,
        "registered_at": registration.registered_at, "created_at": registration.created_at,
        "updated_at": registration.updated_at,
        **{name: {**section, **derived.get(name, {})} for name, section in registration.sections.items()},
    }
    body.setdefault("contact", {})
    return PersonRegistrationOut.model_validate(body).model_dump(mode="json")


@router.get("", response_model=PersonRegistrationOut, summary="My registration",
            responses=documented(200, examples.PERSON_REGISTRATION_OUT, {
                **ERRORS, 422: "The request is not valid (it takes no parameter)."}, sends=("ETag",)))
def read_my_registration(platform: PlatformDep, service: ServiceDep, person: PersonCaller,
                         response: Response) -> dict[str, Any]:
    with platform.db.transaction() as session:
        registration = service.own(on_session(session, platform.outbox), person)
    response.headers["ETag"] = etag(registration.version)
    return to_person_out(registration, service.today())


@router.patch(
    "/contact", response_model=PersonRegistrationOut, summary="Correct my contact details (JSON merge patch)",
    responses=documented(200, examples.PERSON_REGISTRATION_OUT, {
        **ERRORS, 412: "Stale ETag: read again, reapply.", 422: "The request is not valid; `errors` names each field.",
        428: "If-Match is required."}, sends=("ETag",)),
)
def correct_my_contact(
    platform: PlatformDep, service: ServiceDep, person: PersonCaller,
    changes: Annotated[PersonContactPatch, Body(openapi_examples={"new_email": {
        "summary": "A new e-mail, and no more text messages", "value": examples.PERSON_CONTACT_PATCH}})],
    if_match: IfMatch = None,
) -> JSONResponse:
    with platform.db.transaction() as session:
        registration = service.correct_own_contact(
            on_session(session, platform.outbox), person, changes.model_dump(exclude_unset=True),
            lambda version: check_if_match(if_match, version))
    return JSONResponse(to_person_out(registration, service.today()), headers={"ETag": etag(registration.version)})
