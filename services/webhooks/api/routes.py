"""HTTP routes of partners' webhook endpoints: register, read, change, pause, resume, rotate the
secret, send a test event, follow deliveries and replay them."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from services.core.errors import RuleBroken
from services.core.http import (
    AUTH_ERRORS, Cursor, Limit, check_if_match, decode_cursor, documented, encode_cursor, etag, id_path,
    idempotency_key_header, if_match_header,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.core.merge_patch import merge_patch
from services.webhooks.api import examples, render
from services.webhooks.api.deps import EndpointsDep, Manager, PlatformDep
from services.webhooks.api.schemas import (
    WebhookDeliveryPage, WebhookEndpointCreated, WebhookEndpointIn, WebhookEndpointOut, WebhookEndpointPage,
    WebhookEndpointPatch, WebhookReplayIn, WebhookReplayOut, WebhookSecretOut, WebhookSecretRotation,
)
from services.webhooks.domain.endpoint import Endpoint, EndpointFilter
from services.webhooks.service.endpoints import NOT_FOUND, EndpointSpec

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

EndpointId = id_path(examples.ENDPOINT_ID, "The endpoint's id.")
IfMatch = if_match_header("endpoint")
CreateKey = idempotency_key_header(examples.CREATE_KEY)
PauseKey = idempotency_key_header(examples.PAUSE_KEY)
ResumeKey = idempotency_key_header(examples.RESUME_KEY)
RotateKey = idempotency_key_header(examples.ROTATE_KEY)
TestKey = idempotency_key_header(examples.TEST_KEY)
ReplayKey = idempotency_key_header(examples.REPLAY_KEY)
INVALID = {422: "The request is not valid; `errors` names each field (an unknown event type, a URL refused as "
                "not https or not on a public address…)."}
MINE = {**AUTH_ERRORS, 404: NOT_FOUND}
CONFLICT = {409: "Idempotency-Key reused with another request."}


def _spec(body: WebhookEndpointIn) -> EndpointSpec:
    return EndpointSpec(body.url, list(body.event_types), EndpointFilter.from_dict(
        body.filter.model_dump() if body.filter else None), body.technical_contact, body.description)


def _answer(endpoint: Endpoint, status: int = 200, **headers: str) -> JSONResponse:
    return JSONResponse(jsonable_encoder(render.endpoint(endpoint)), status_code=status,
                        headers={"ETag": etag(endpoint.version), **headers})


@router.post("", status_code=201, response_model=WebhookEndpointCreated,
             summary="Register an endpoint: the answer shows its signing secret, this once",
             responses=documented(201, examples.CREATED, {**AUTH_ERRORS, **INVALID, **CONFLICT}, sends=("Location",)))
def create_webhook(request: Request, platform: PlatformDep, endpoints: EndpointsDep, caller: Manager,
                   body: Annotated[WebhookEndpointIn, Body(openapi_examples={"rsa_44": {
                       "summary": "A département's RSA software", "value": examples.ENDPOINT_IN}})],
                   idempotency_key: CreateKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        endpoint = endpoints.create(session, caller, resource_id(caller.client_id, idempotency_key), _spec(body))
        shown = jsonable_encoder(render.endpoint(endpoint))
        # The secret is shown once: the idempotency record, another table, keeps the answer without it.
        return StoredResponse(201, {**shown, "secret": endpoint.secrets[0].value},
                              {"Location": f"/v1/webhooks/{endpoint.id}"}, replay_body=shown)

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)


@router.get("", response_model=WebhookEndpointPage, summary="Your organisation's endpoints, oldest first",
            responses=documented(200, examples.PAGE, {**AUTH_ERRORS, **INVALID}))
def list_webhooks(platform: PlatformDep, endpoints: EndpointsDep, caller: Manager,
                  limit: Annotated[Limit, Query(examples=[20])] = 20,
                  cursor: Cursor = None) -> dict[str, Any]:
    after = decode_cursor(cursor, datetime, str) if cursor else None
    with platform.db.reading() as session:
        page = endpoints.page(session, caller, after, limit)
    last = page[-1] if len(page) == limit else None
    return {"items": [render.endpoint(e) for e in page],
            "next_cursor": encode_cursor([last.created_at, last.id]) if last else None}


@router.get("/{endpoint_id}", response_model=WebhookEndpointOut, summary="One endpoint (never its secret)",
            responses=documented(200, examples.ENDPOINT, MINE, sends=("ETag",)))
def read_webhook(endpoint_id: EndpointId, platform: PlatformDep, endpoints: EndpointsDep,
                 caller: Manager) -> JSONResponse:
    with platform.db.reading() as session:
        return _answer(endpoints.get(session, caller, endpoint_id))


@router.patch("/{endpoint_id}", response_model=WebhookEndpointOut, summary="Change an endpoint (JSON merge patch)",
              responses=documented(200, examples.ENDPOINT, {
                  **MINE, **INVALID, 412: "The endpoint changed since you read it.",
                  428: "If-Match is required."}, sends=("ETag",)))
def change_webhook(endpoint_id: EndpointId, platform: PlatformDep, endpoints: EndpointsDep, caller: Manager,
                   changes: Annotated[WebhookEndpointPatch, Body(openapi_examples={"types": {
                       "summary": "Follow contracts instead of orientations", "value": examples.PATCH}})],
                   if_match: IfMatch = None) -> JSONResponse:
    with platform.db.transaction() as session:
        endpoint = endpoints.get(session, caller, endpoint_id, lock=True)
        check_if_match(if_match, endpoint.version)
        current = {"url": endpoint.url, "event_types": list(endpoint.event_types), "filter": endpoint.filter.to_dict(),
                   "technical_contact": endpoint.technical_contact, "description": endpoint.description}
        merged = merge_patch(current, changes.model_dump(mode="json", exclude_unset=True))
        try:
            spec = _spec(WebhookEndpointIn.model_validate(merged))
        except ValidationError as exc:
            raise RuleBroken("The endpoint, once patched, is not valid.", errors=[
                {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in exc.errors()])
        return _answer(endpoints.change(session, endpoint, spec))


def _act(request: Request, platform: PlatformDep, endpoints: EndpointsDep, caller: Manager, endpoint_id: str,
         key: str | None, act) -> JSONResponse:
    def operation(session) -> StoredResponse:
        endpoint = endpoints.act(session, caller, endpoint_id, act)
        return StoredResponse(200, jsonable_encoder(render.endpoint(endpoint)), {"ETag": etag(endpoint.version)})

    return idempotent_response(request, platform.db, caller.client_id, key, {}, operation)


@router.post("/{endpoint_id}/pause", response_model=WebhookEndpointOut,
             summary="Pause an endpoint: deliveries wait, in order, until it is resumed",
             responses=documented(200, examples.PAUSED, {
                 **MINE, **CONFLICT, 409: "The endpoint is disabled (its receiver answered 410): resume it, or "
                                          "the Idempotency-Key was reused with another request."}, sends=("ETag",)))
def pause_webhook(endpoint_id: EndpointId, request: Request, platform: PlatformDep, endpoints: EndpointsDep,
                  caller: Manager, idempotency_key: PauseKey = None) -> JSONResponse:
    return _act(request, platform, endpoints, caller, endpoint_id, idempotency_key, Endpoint.pause)


@router.post("/{endpoint_id}/resume", response_model=WebhookEndpointOut,
             summary="Resume a paused or disabled endpoint: what waited is delivered, in order",
             responses=documented(200, examples.ENDPOINT, {**MINE, **CONFLICT}, sends=("ETag",)))
def resume_webhook(endpoint_id: EndpointId, request: Request, platform: PlatformDep, endpoints: EndpointsDep,
                   caller: Manager, idempotency_key: ResumeKey = None) -> JSONResponse:
    return _act(request, platform, endpoints, caller, endpoint_id, idempotency_key, Endpoint.resume)


@router.post("/{endpoint_id}/rotate-secret", response_model=WebhookSecretOut,
             summary="A new signing secret (shown this once); the current ones keep signing for the overlap",
             responses=documented(200, examples.ROTATED, {**MINE, **INVALID, **CONFLICT}))
def rotate_webhook_secret(endpoint_id: EndpointId, request: Request, platform: PlatformDep, endpoints: EndpointsDep,
                          caller: Manager, body: Annotated[WebhookSecretRotation, Body(openapi_examples={"day": {
                              "summary": "Both secrets sign for a day", "value": {"overlap_seconds": 86400}}})],
                          idempotency_key: RotateKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        endpoint, secret = endpoints.rotate(session, caller, endpoint_id, timedelta(seconds=body.overlap_seconds))
        previous = [s.expires_at for s in endpoint.secrets[1:] if s.expires_at]
        kept = jsonable_encoder({"previous_valid_until": max(previous, default=None)})
        return StoredResponse(200, {"secret": secret, **kept}, replay_body=kept)  # the secret shown once, not kept

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)


@router.delete("/{endpoint_id}", response_model=WebhookEndpointOut,
               summary="Delete an endpoint and its deliveries; answers what was deleted",
               responses=documented(200, examples.ENDPOINT, MINE))
def delete_webhook(endpoint_id: EndpointId, platform: PlatformDep, endpoints: EndpointsDep,
                   caller: Manager) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return render.endpoint(endpoints.delete(session, caller, endpoint_id))


@router.post("/{endpoint_id}/test", status_code=202, response_model=WebhookReplayOut,
             summary="Send a test event (webhooks.endpoint.test.v1), signed and retried as any delivery",
             responses=documented(202, examples.REPLAYED, {**MINE, **CONFLICT}))
def test_webhook(endpoint_id: EndpointId, request: Request, platform: PlatformDep, endpoints: EndpointsDep,
                 caller: Manager, idempotency_key: TestKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        return StoredResponse(202, {"deliveries": [endpoints.send_test(session, caller, endpoint_id).id]})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, {}, operation)


@router.get("/{endpoint_id}/deliveries", response_model=WebhookDeliveryPage,
            summary="The endpoint's deliveries, newest first: status, attempts and their answers, next retry",
            responses=documented(200, examples.DELIVERY_PAGE, {**MINE, **INVALID}))
def list_webhook_deliveries(endpoint_id: EndpointId, platform: PlatformDep, endpoints: EndpointsDep, caller: Manager,
                            limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    after = decode_cursor(cursor, datetime, str) if cursor else None
    with platform.db.reading() as session:
        rows, attempts = endpoints.deliveries(session, caller, endpoint_id, after, limit)
    last = rows[-1] if len(rows) == limit else None
    return {"items": [render.delivery(row, attempts[row.id]) for row in rows],
            "next_cursor": encode_cursor([last.created_at, last.id]) if last else None}


@router.post("/{endpoint_id}/replay", status_code=202, response_model=WebhookReplayOut,
             summary="Deliver again one delivery's change, or every change since a moment (new webhook-ids)",
             responses=documented(202, examples.REPLAYED, {**MINE, **INVALID, **CONFLICT}))
def replay_webhook(endpoint_id: EndpointId, request: Request, platform: PlatformDep, endpoints: EndpointsDep,
                   caller: Manager, body: Annotated[WebhookReplayIn, Body(openapi_examples={"since": {
                       "summary": "Every change since the first of January", "value": examples.REPLAY_IN}})],
                   idempotency_key: ReplayKey = None) -> JSONResponse:
    if (body.since is None) == (body.delivery_id is None):
        raise RuleBroken("Give either since or delivery_id.", field="body")

    def operation(session) -> StoredResponse:
        rows = endpoints.replay(session, caller, endpoint_id, since=body.since, delivery_id=body.delivery_id)
        return StoredResponse(202, {"deliveries": [row.id for row in rows]})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)
