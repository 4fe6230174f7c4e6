"""The person's own orientation and first appointment (/v1/me/orientation, /v1/me/appointments; scope `me`).

The person is the one the token names; no person id is taken from the request, and an appointment
id of someone else's is answered as unknown (404).
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse

from services.core.http import Cursor, Limit, decode_cursor, documented, encode_cursor, id_path, idempotency_key_header
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.core.identity import PersonCaller
from services.orientation.api import examples
from services.orientation.api.appointment_routes import appointment_out, slot_out
from services.orientation.api.deps import AppointmentsDep, PlatformDep, ServiceDep
from services.orientation.api.routes import orientation_out
from services.orientation.api.schemas import (
    AppointmentOut, PersonAppointmentIn, PersonAppointmentList, PersonOrientationOut, SlotPage,
)
from services.orientation.domain.directory import Directory
from services.orientation.domain.model import Orientation
from services.orientation.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/me", tags=["me"])

PersonAppointmentKey = idempotency_key_header(examples.PERSON_APPOINTMENT_KEY)
# The examples act on the appointment the mission locale booked for Camille: hers, whoever booked it.
MyAppointmentId = id_path(examples.APPOINTMENT_ID, "The id of one of your appointments.")
DOOR = {401: "Missing, invalid or expired access token.", 403: "Not a person's token: this door is the person's own."}
INVALID = {422: "The request is not valid; `errors` names each field."}
NOT_YOURS = {404: "You have no appointment with this id."}
TOO_LATE = ("Less than 24 hours before the appointment (the problem's `deadline` says until when it could be "
            "changed), the appointment is no longer booked, or the slot was taken first.")


def person_orientation_out(orientation: Orientation, directory: Directory) -> dict[str, Any]:
    current = orientation.current
    referent = current.referent if current is not None else None
    organisation = directory.get(referent.org_id) if referent else None
    return PersonOrientationOut.model_validate({**orientation_out(orientation), "referent_organisation": {
        "org_id": referent.org_id, "org_type": referent.org_type, "name": organisation.name if organisation else None,
    } if referent else None}).model_dump(mode="json")


@router.get("/orientation", response_model=PersonOrientationOut, summary="My orientation, my referent and the history",
            responses=documented(200, examples.PERSON_ORIENTATION_OUT, {
                **DOOR, **INVALID, 404: "You are not oriented yet."}))
def read_my_orientation(platform: PlatformDep, service: ServiceDep, person: PersonCaller) -> dict[str, Any]:
    with platform.db.transaction() as session:
        orientation = service.own(on_session(session, platform.outbox), person)
    return person_orientation_out(orientation, service.directory)


@router.get("/appointments", response_model=PersonAppointmentList, summary="My appointments",
            responses=documented(200, examples.PERSON_APPOINTMENTS, {**DOOR, **INVALID}))
def list_my_appointments(platform: PlatformDep, service: AppointmentsDep, person: PersonCaller) -> dict[str, Any]:
    with platform.db.transaction() as session:
        mine = service.own_appointments(on_session(session, platform.outbox), person)
    return {"items": [appointment_out(appointment) for appointment in mine]}


@router.get("/appointments/slots", response_model=SlotPage, summary="The free slots of my referent organisation",
            responses=documented(200, examples.SLOT_PAGE, {
                **DOOR, **INVALID, 404: "No referent organisation is decided for you yet."}))
def list_my_referent_slots(platform: PlatformDep, service: AppointmentsDep, person: PersonCaller,
                           limit: Annotated[Limit, Query(examples=[20])] = 20, cursor: Cursor = None) -> dict[str, Any]:
    after = decode_cursor(cursor, datetime, str) if cursor else None
    with platform.db.transaction() as session:
        page = service.referent_slots(on_session(session, platform.outbox), person, after, limit)
    next_cursor = encode_cursor([page[-1].starts_at, page[-1].slot_id]) if len(page) == limit else None
    return {"items": [slot_out(slot) for slot in page], "next_cursor": next_cursor}


@router.post("/appointments", status_code=201, response_model=AppointmentOut,
             summary="Book my first appointment in a free slot of my referent organisation",
             responses=documented(201, examples.PERSON_APPOINTMENT_OUT, {
                 **DOOR, **INVALID, 404: "You are not oriented yet.",
                 409: "Slot already booked, an appointment already to come, or Idempotency-Key reused."},
                 sends=("Location",)))
def book_my_appointment(request: Request, platform: PlatformDep, service: AppointmentsDep, person: PersonCaller,
                        body: Annotated[PersonAppointmentIn, Body(openapi_examples={"camille": {
                            "summary": "Camille books the mission locale's slot", "value": examples.PERSON_APPOINTMENT_IN}})],
                        idempotency_key: PersonAppointmentKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        appointment = service.book_own(on_session(session, platform.outbox), person,
                                       resource_id(person.client_id, idempotency_key), body.slot_id)
        return StoredResponse(201, appointment_out(appointment),
                              {"Location": f"/v1/me/appointments/{appointment.appointment_id}"})

    return idempotent_response(request, platform.db, person.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)


@router.get("/appointments/{appointment_id:uuid_text}", response_model=AppointmentOut, summary="One of my appointments",
            responses=documented(200, examples.APPOINTMENT_OUT, {**DOOR, **INVALID, **NOT_YOURS}))
def read_my_appointment(appointment_id: MyAppointmentId, platform: PlatformDep, service: AppointmentsDep,
                        person: PersonCaller) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return appointment_out(service.own_appointment(on_session(session, platform.outbox), person, appointment_id))


@router.patch("/appointments/{appointment_id:uuid_text}", response_model=AppointmentOut,
              summary="Move my appointment to another free slot, until 24 hours before it starts",
              responses=documented(200, examples.PERSON_MOVED_OUT, {**DOOR, **INVALID, **NOT_YOURS, 409: TOO_LATE}))
def move_my_appointment(appointment_id: MyAppointmentId, platform: PlatformDep, service: AppointmentsDep,
                        person: PersonCaller,
                        body: Annotated[PersonAppointmentIn, Body(openapi_examples={"later": {
                            "summary": "A week later", "value": examples.PERSON_MOVE_IN}})]) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return appointment_out(service.move_own(on_session(session, platform.outbox), person, appointment_id,
                                                body.slot_id))


@router.delete("/appointments/{appointment_id:uuid_text}", response_model=AppointmentOut,
               summary="Cancel my appointment, until 24 hours before it starts",
               responses=documented(200, examples.PERSON_CANCELLED_OUT, {**DOOR, **INVALID, **NOT_YOURS, 409: TOO_LATE}))
def cancel_my_appointment(appointment_id: MyAppointmentId, platform: PlatformDep, service: AppointmentsDep,
                          person: PersonCaller) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return appointment_out(service.cancel_own(on_session(session, platform.outbox), person, appointment_id))
