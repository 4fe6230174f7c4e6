"""HTTP routes of first appointments: slots published by organisations, bookings, no-shows."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse

from services.core.http import (
    AUTH_ERRORS, Cursor, DateTime, Limit, decode_cursor, documented, encode_cursor, id_path, idempotency_key_header,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.orientation.api import examples
from services.orientation.api.deps import AppointmentsDep, Decider, PlatformDep, Reader
from services.orientation.api.schemas import AppointmentIn, AppointmentOut, SlotIn, SlotOut, SlotPage
from services.orientation.domain.appointments import Appointment, Slot, within_target
from services.orientation.service.appointments import NO_APPOINTMENT
from services.orientation.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/orientation", tags=["appointments"])

SlotKey = idempotency_key_header(examples.SLOT_KEY)
AppointmentKey = idempotency_key_header(examples.APPOINTMENT_KEY)
NoShowKey = idempotency_key_header(examples.NO_SHOW_KEY)

SlotId = id_path(examples.SLOT_ID)
AppointmentId = id_path(examples.APPOINTMENT_ID)
# The no-show example is Sofiane's appointment at the département, which has started.
MissedAppointmentId = id_path(examples.MISSED_APPOINTMENT_ID)
INVALID = {422: "The request is not valid; `errors` names each field."}


def slot_out(slot: Slot) -> dict[str, Any]:
    return SlotOut.model_validate(slot, from_attributes=True).model_dump(mode="json")


def appointment_out(appointment: Appointment) -> dict[str, Any]:
    return AppointmentOut.model_validate({
        **{name: getattr(appointment, name) for name in (
            "appointment_id", "person_id", "decision_id", "status", "delay_days", "booked_at", "booked_by",
            "no_show_recorded_at", "cancelled_at")},
        "slot": slot_out(appointment.slot), "within_target": within_target(appointment.delay_days),
        "reminders_sent": sorted(appointment.reminders_sent),
    }).model_dump(mode="json")


@router.post("/slots", status_code=201, response_model=SlotOut, summary="Publish a first-appointment slot of your organisation",
             responses=documented(201, examples.SLOT_OUT, {**AUTH_ERRORS, **INVALID, 409: "Idempotency-Key reused."}, sends=("Location",)))
def publish_slot(request: Request, platform: PlatformDep, service: AppointmentsDep, caller: Decider,
                 body: Annotated[SlotIn, Body(openapi_examples={"on_site": {
                     "summary": "A 45-minute slot at the mission locale", "value": examples.SLOT_IN}})],
                 idempotency_key: SlotKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        slot = service.publish_slot(on_session(session, platform.outbox), caller,
                                    resource_id(caller.client_id, idempotency_key), body.starts_at,
                                    body.duration_minutes, body.channel, body.location)
        return StoredResponse(201, slot_out(slot), {"Location": f"/v1/orientation/slots/{slot.slot_id}"})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)


@router.get("/slots", response_model=SlotPage, summary="Slots, by start time",
            responses=documented(200, examples.SLOT_PAGE, {**AUTH_ERRORS, **INVALID}))
def list_slots(platform: PlatformDep, caller: Reader, limit: Limit = 20, cursor: Cursor = None,
               org_id: Annotated[str | None, Query(max_length=100, examples=[examples.SLOT_OUT["org_id"]])] = None,
               available: Annotated[bool | None, Query(description="true: free slots only; false: booked only.")] = None,
               from_: Annotated[DateTime | None, Query(alias="from", description="Starting at or after (RFC 3339).")] = None,
               ) -> dict[str, Any]:
    after = decode_cursor(cursor, datetime, str) if cursor else None
    with platform.db.transaction() as session:
        page = on_session(session, platform.outbox).appointments.slots(org_id, available, from_, after, limit)
    next_cursor = encode_cursor([page[-1].starts_at, page[-1].slot_id]) if len(page) == limit else None
    return {"items": [slot_out(slot) for slot in page], "next_cursor": next_cursor}


@router.get("/slots/{slot_id}", response_model=SlotOut, summary="One slot",
            responses=documented(200, examples.SLOT_OUT, {**AUTH_ERRORS, 404: "No such slot."}))
def read_slot(slot_id: SlotId, platform: PlatformDep, service: AppointmentsDep, caller: Reader) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return slot_out(service.slot(on_session(session, platform.outbox), slot_id))


@router.post("/appointments", status_code=201, response_model=AppointmentOut,
             summary="Book the first appointment of an oriented person in one of the referent's slots",
             responses=documented(201, examples.APPOINTMENT_OUT, {
                 **AUTH_ERRORS, **INVALID, 404: "Person unknown, or not visible to your organisation.",
                 409: "Slot already booked, person not oriented yet, or Idempotency-Key reused."}, sends=("Location",)))
def book_appointment(request: Request, platform: PlatformDep, service: AppointmentsDep, caller: Decider,
         body: Annotated[AppointmentIn, Body(openapi_examples={"camille": {
             "summary": "Camille's first appointment at the mission locale", "value": examples.APPOINTMENT_IN}})],
         idempotency_key: AppointmentKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        appointment = service.book(on_session(session, platform.outbox), caller,
                                   resource_id(caller.client_id, idempotency_key), body.person_id, body.slot_id)
        return StoredResponse(201, appointment_out(appointment),
                              {"Location": f"/v1/orientation/appointments/{appointment.appointment_id}"})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)


@router.get("/appointments/{appointment_id}", response_model=AppointmentOut, summary="One appointment",
            responses=documented(200, examples.APPOINTMENT_OUT, {**AUTH_ERRORS, 404: NO_APPOINTMENT}))
def read_appointment(appointment_id: AppointmentId, platform: PlatformDep, service: AppointmentsDep,
                     caller: Reader) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return appointment_out(service.appointment(on_session(session, platform.outbox), caller, appointment_id))


@router.post("/appointments/{appointment_id}/no-show", response_model=AppointmentOut,
             summary="Record that the person did not come",
             responses=documented(200, examples.NO_SHOW_OUT, {
                 **AUTH_ERRORS, 404: NO_APPOINTMENT, 409: "Not started yet, or already recorded."}))
def record_no_show(request: Request, appointment_id: MissedAppointmentId, platform: PlatformDep,
                   service: AppointmentsDep, caller: Decider,
                   idempotency_key: NoShowKey = None) -> JSONResponse:
    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, None, lambda session: StoredResponse(
        200, appointment_out(service.record_no_show(on_session(session, platform.outbox), caller, appointment_id))))
