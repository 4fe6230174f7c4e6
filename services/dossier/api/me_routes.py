"""The person's own door on the dossier (/v1/me/...): their dossier, who accessed their data, their
correction requests. No path names a person: the person is the token's (services/core/identity.py)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from services.core.http import (
    AUTH_ERRORS, Cursor, Limit, decode_cursor, documented, encode_cursor, idempotency_key_header,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.dossier.api import examples
from services.dossier.api.deps import Person, PlatformDep, ServiceDep
from services.dossier.api.routes import CorrectionId, before_id, jsonable_accesses, page
from services.dossier.api.schemas import (
    CorrectionCreate, DossierCorrection, DossierCorrectionPage, DossierOwnAccessLogPage, DossierView,
)
from services.dossier.domain.journal import WITHHELD_UNTIL_CLOSED_NOTE
from services.dossier.service import person_door
from services.dossier.service.unit_of_work import unit_of_work

router = APIRouter(prefix="/v1/me", tags=["me"])

ME_ERRORS = {**AUTH_ERRORS, 403: "Not a person's own token: this door opens to the person alone."}
DOSSIER_ERRORS = {**ME_ERRORS, 404: "The platform holds no dossier about you yet: it opens with your registration."}
CorrectionKey = idempotency_key_header(examples.CORRECTION_IDEMPOTENCY_KEY)
PageSize = Annotated[Limit, Query(examples=[20])]
# The access log's example asks for the newest access alone: the referent's answer to her request.
NewestFirst = Annotated[Limit, Query(examples=[1])]


@router.get("/dossier", response_model=DossierView, summary="My dossier: everything it holds about me",
            description="Every section, health data included (it is yours), what your referent wrote (diagnostic, "
                        "contract with its obligations, points d'étape) and your correction requests.",
            responses=documented(200, examples.OWN_DOSSIER, DOSSIER_ERRORS))
def read_own_dossier(platform: PlatformDep, service: ServiceDep, person: Person) -> JSONResponse:
    with platform.db.transaction() as session:
        return JSONResponse(person_door.own_dossier(unit_of_work(session, platform.outbox), person.person_id,
                                                    service.clock()))


@router.get("/access-log", response_model=DossierOwnAccessLogPage,
            summary="Who read or changed my data, in every service, and why (newest first)",
            description="Every read and write of your data by an organisation: when, which organisation, for what "
                        "purpose, which part. Reads made for a control appear once the procedure is closed.",
            responses=documented(200, examples.OWN_ACCESS_LOG_PAGE, ME_ERRORS))
def read_own_access_log(platform: PlatformDep, person: Person, limit: NewestFirst = 20,
                        cursor: Cursor = None) -> JSONResponse:
    before = before_id(cursor)
    with platform.db.transaction() as session:
        items = person_door.own_access_log(unit_of_work(session, platform.outbox), person.person_id, before, limit)
    return JSONResponse({**page(jsonable_accesses(items), limit), "withheld_until_closed_note": WITHHELD_UNTIL_CLOSED_NOTE})


@router.get("/corrections", response_model=DossierCorrectionPage,
            summary="My correction requests and their outcome (newest first)",
            responses=documented(200, examples.CORRECTION_PAGE, DOSSIER_ERRORS))
def list_own_corrections(platform: PlatformDep, person: Person, limit: PageSize = 20,
                         cursor: Cursor = None) -> JSONResponse:
    after = decode_cursor(cursor, str, str) if cursor is not None else None
    with platform.db.transaction() as session:
        items = person_door.own_corrections(unit_of_work(session, platform.outbox), person.person_id, after, limit)
    return JSONResponse(_page(items, limit))


@router.get("/corrections/{correction_id}", response_model=DossierCorrection,
            summary="One of my correction requests and its outcome",
            responses=documented(200, examples.ANSWERED_CORRECTION, {
                **DOSSIER_ERRORS, 404: "You have no correction request with this id."}))
def read_own_correction(correction_id: CorrectionId, platform: PlatformDep, person: Person) -> JSONResponse:
    with platform.db.transaction() as session:
        return JSONResponse(person_door.own_correction(unit_of_work(session, platform.outbox), person.person_id,
                                                       correction_id))


@router.post("/corrections", status_code=201, response_model=DossierCorrection,
             summary="Ask a correction of what my dossier holds (my contact details: /v1/me/registration/contact)",
             description="Your referent reads the request in your dossier and answers it; GET /v1/me/corrections "
                         "shows the outcome.",
             responses=documented(201, examples.CORRECTION, {
                 **DOSSIER_ERRORS,
                 409: "Idempotency-Key reused with another body, or 20 requests already open (wait for answers).",
                 422: "Invalid request; `errors` names each field."}, sends=("Location",)))
def ask_correction(
    request: Request, platform: PlatformDep, service: ServiceDep, person: Person,
    correction: Annotated[CorrectionCreate, Body(openapi_examples={"mobility": {
        "summary": "The diagnostic's mobility is out of date", "value": examples.CORRECTION_CREATE}})],
    idempotency_key: CorrectionKey = None,
) -> JSONResponse:
    body = correction.model_dump(mode="json")

    def operation(session: Session) -> StoredResponse:
        correction_id = resource_id(person.client_id, idempotency_key)
        item = person_door.ask_correction(unit_of_work(session, platform.outbox), person.person_id, correction_id,
                                          correction.section, correction.field, correction.message, service.clock())
        return StoredResponse(201, item, {"Location": f"/v1/me/corrections/{correction_id}"})

    return idempotent_response(request, platform.db, person.client_id, idempotency_key, body, operation)


def _page(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    last = items[-1] if len(items) == limit else None
    return {"items": items, "next_cursor": encode_cursor([last["asked_at"], last["correction_id"]]) if last else None}
