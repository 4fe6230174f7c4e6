"""HTTP routes of deposits: one offer (in three formats) and bulk import jobs."""
from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from services.core.errors import RuleBroken
from services.core.http import (
    AUTH_ERRORS, SUCCESS_HEADERS, Cursor, Limit, decode_cursor, documented, encode_cursor, etag, id_path, idempotency_key_header,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.core.problems import Problem
from services.offers.adapters.import_files import CSV, MEDIA_TYPES, BadFile, count_records, receive
from services.offers.api import examples, render
from services.offers.api.deps import CatalogDep, ImportsDep, LifecycleDep, PlatformDep
from services.offers.api.deps import Publisher as PublisherCaller
from services.offers.api.schemas import OfferImportOut, OfferIngestOut
from services.offers.service.catalog import CREATED, assess
from services.offers.service.formats import JOB_POSTING, NATIVE, draft_of
from services.offers.service.imports import NOT_YOURS
from services.offers.service.policy import Publisher

router = APIRouter(prefix="/v1/offers", tags=["offers"])

PublishKey = idempotency_key_header(examples.PUBLISH_KEY)
ImportKey = idempotency_key_header(examples.IMPORT_KEY)
Format = Literal["native", "job-posting", "ft-v2"]
JSON_MEDIA_TYPES = ("application/json", "application/ld+json")
PUBLISH_ERRORS = {**AUTH_ERRORS, 403: "Scope missing, or an offer of another employer's SIRET or another source.",
                  409: "Idempotency-Key reused with another body.", 415: "The body is not JSON.",
                  422: "The offer is not valid; `errors` names each field (unknown commune or ROME code, bad SIRET…)."}
IMPORT_ERRORS = {**AUTH_ERRORS, 409: "Idempotency-Key reused with another file.",
                 415: "Not NDJSON nor CSV.", 422: "The file cannot be read (not NDJSON, no CSV header…)."}
ImportId = id_path(examples.IMPORT_ID)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@router.post("", status_code=201, response_model=OfferIngestOut, summary="Publish an offer once for all boards",
             description=examples.INGEST_DESCRIPTION, openapi_extra={"requestBody": examples.INGEST_BODY},
             responses={**documented(201, examples.INGESTED, PUBLISH_ERRORS, sends=("Location", "ETag")), 200: {
                 "description": "Your copy updated an offer, or joined the same job published elsewhere.",
                 "content": {"application/json": {"example": examples.MERGED}}, "headers": SUCCESS_HEADERS}})
async def publish_offer(request: Request, platform: PlatformDep, catalog: CatalogDep, lifecycle: LifecycleDep,
                  caller: PublisherCaller, format_: Annotated[Format | None, Query(alias="format", description=(
                      "native (default), job-posting (implied by application/ld+json) or ft-v2."))] = None,
                  idempotency_key: PublishKey = None) -> JSONResponse:
    media = media_type(request)
    if media not in JSON_MEDIA_TYPES:
        raise Problem(415, "Send the offer as application/json (or application/ld+json for a JobPosting).",
                      slug="unsupported-media-type")
    chosen = format_ or (JOB_POSTING if media == "application/ld+json" else NATIVE)
    try:
        document = json.loads(await request.body())
    except ValueError:
        raise RuleBroken("The body is not valid JSON.", field="body") from None
    publisher = Publisher.of(caller)
    draft = draft_of(document, chosen, publisher)

    def operation(session) -> StoredResponse:
        offer_id = resource_id(caller.client_id, idempotency_key)
        [outcome] = catalog.ingest_many(session, [assess(draft)], publisher, new_id=lambda _: offer_id)
        view = lifecycle.view(session, caller, outcome.offer_id)
        body = OfferIngestOut.model_validate(render.offer(view, outcome=outcome.outcome)).model_dump(mode="json")
        return StoredResponse(201 if outcome.outcome == CREATED else 200, body,
                              {"Location": f"/v1/offers/{outcome.offer_id}", "ETag": etag(view.row.version)})

    return await run_in_threadpool(idempotent_response, request, platform.db, caller.client_id, idempotency_key,
                                   {"format": chosen, "offer": document}, operation)


@router.post("/imports", status_code=202, response_model=OfferImportOut, summary="Import a file of offers (NDJSON or CSV)",
             description=examples.IMPORT_DESCRIPTION, openapi_extra={"requestBody": examples.IMPORT_BODY},
             responses=documented(202, examples.IMPORT_QUEUED, IMPORT_ERRORS))
async def create_import(request: Request, platform: PlatformDep, imports: ImportsDep, caller: PublisherCaller,
                        format_: Annotated[Format, Query(alias="format", description=(
                            "Shape of each NDJSON line; CSV is always native."))] = NATIVE,
                        idempotency_key: ImportKey = None) -> JSONResponse:
    kind = MEDIA_TYPES.get(media_type(request))
    if kind is None:
        raise Problem(415, "Send the file as application/x-ndjson or text/csv.", slug="unsupported-media-type")
    if kind == CSV and format_ != NATIVE:
        raise RuleBroken("A CSV file holds native offers only; use NDJSON for feed formats.", field="format")
    spooled = await receive(request.stream())
    try:
        total = await run_in_threadpool(count_records, spooled.path, kind)
        if total == 0:
            raise BadFile("the file holds no offer")

        def operation(session) -> StoredResponse:
            job = imports.create(session, caller, resource_id(caller.client_id, idempotency_key), spooled.path,
                                 kind, format_, total)
            return StoredResponse(202, OfferImportOut.model_validate(render.import_job(job, [], None)).model_dump(
                mode="json"), {"Location": f"/v1/offers/imports/{job.id}"})

        fingerprint = {"sha256": spooled.sha256, "media_type": kind, "format": format_}
        response = await run_in_threadpool(idempotent_response, request, platform.db, caller.client_id,
                                           idempotency_key, fingerprint, operation)
    except BaseException:
        spooled.path.unlink(missing_ok=True)
        raise
    if response.headers.get("Idempotent-Replayed"):
        spooled.path.unlink(missing_ok=True)  # the first upload of this file is the one imported
    return response


@router.get("/imports/{import_id}", response_model=OfferImportOut, summary="An import's progress and line errors",
            responses=documented(200, examples.IMPORT, {**AUTH_ERRORS, 404: NOT_YOURS,
                                                        422: "Invalid cursor."}))
def read_import(import_id: ImportId, platform: PlatformDep, imports: ImportsDep, caller: PublisherCaller,
                limit: Limit = 100, errors_cursor: Cursor = None) -> dict[str, Any]:
    [after] = decode_cursor(errors_cursor, int, field="query.errors_cursor") if errors_cursor else [0]
    with platform.db.transaction() as session:
        job = imports.get(session, caller, import_id)
        errors = imports.errors(session, import_id, after, limit)
        next_cursor = encode_cursor([errors[-1].line]) if len(errors) == limit else None
        return render.import_job(job, errors, next_cursor)
