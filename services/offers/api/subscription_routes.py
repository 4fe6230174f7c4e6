"""HTTP routes of saved searches: a counsellor subscribes a person to the offers that match."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse

from services.core.codes import EntityId
from services.core.http import (
    AUTH_ERRORS, Cursor, Limit, decode_cursor, documented, encode_cursor, id_path, idempotency_key_header,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.offers.api import examples, render
from services.offers.api.deps import PlatformDep, Subscriber, SubscriptionsDep
from services.offers.api.schemas import OfferSubscriptionIn, OfferSubscriptionOut, OfferSubscriptionPage
from services.offers.service.subscriptions import NOT_VISIBLE, NOT_YOURS

router = APIRouter(prefix="/v1/offers/subscriptions", tags=["subscriptions"])

SubscribeKey = idempotency_key_header(examples.SUBSCRIBE_KEY)
SubscriptionId = id_path(examples.SUBSCRIPTION_ID)
INVALID = {422: "The request is not valid; `errors` names each field (unknown ROME or commune code…)."}


@router.post("", status_code=201, response_model=OfferSubscriptionOut,
             summary="Save a search for a person: each new matching offer is sent to them once",
             responses=documented(201, examples.SUBSCRIPTION, {**AUTH_ERRORS, **INVALID, 404: NOT_VISIBLE,
                                                                409: "Idempotency-Key reused."}, sends=("Location",)))
def create_subscription(request: Request, platform: PlatformDep, subscriptions: SubscriptionsDep, caller: Subscriber,
              body: Annotated[OfferSubscriptionIn, Body(openapi_examples={"bakery_nantes": {
                  "summary": "Bakery jobs within 20 km of Nantes", "value": examples.SUBSCRIPTION_IN}})],
              idempotency_key: SubscribeKey = None) -> JSONResponse:
    criteria = body.criteria.model_dump(mode="json", exclude_defaults=True)

    def operation(session) -> StoredResponse:
        row = subscriptions.create(session, caller, resource_id(caller.client_id, idempotency_key), body.person_id,
                                   criteria)
        return StoredResponse(201, OfferSubscriptionOut.model_validate(render.subscription(row)).model_dump(mode="json"),
                              {"Location": f"/v1/offers/subscriptions/{row.id}"})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, body.model_dump(mode="json"),
                               operation)


@router.get("", response_model=OfferSubscriptionPage, summary="Your organisation's saved searches, newest first",
            responses=documented(200, examples.SUBSCRIPTION_PAGE, {**AUTH_ERRORS, **INVALID, 404: NOT_VISIBLE}))
def list_subscriptions(platform: PlatformDep, subscriptions: SubscriptionsDep, caller: Subscriber,
                       person_id: Annotated[EntityId | None, Query(examples=[examples.PERSON_ID])] = None,
                       limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    after = decode_cursor(cursor, datetime, str) if cursor else None
    with platform.db.transaction() as session:
        page, last = subscriptions.page(session, caller, person_id, after, limit)
        items = [render.subscription(row) for row in page]
    next_cursor = encode_cursor([last.created_at, last.id]) if last is not None else None
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{subscription_id}", response_model=OfferSubscriptionOut, summary="One saved search",
            responses=documented(200, examples.SUBSCRIPTION, {**AUTH_ERRORS, 404: NOT_YOURS}))
def read_subscription(subscription_id: SubscriptionId, platform: PlatformDep, subscriptions: SubscriptionsDep,
                      caller: Subscriber) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return render.subscription(subscriptions.get(session, caller, subscription_id))


@router.delete("/{subscription_id}", response_model=OfferSubscriptionOut,
               summary="Stop a saved search (matches already sent stay sent); answers what was deleted",
               responses=documented(200, examples.SUBSCRIPTION, {**AUTH_ERRORS, 404: NOT_YOURS}))
def delete_subscription(subscription_id: SubscriptionId, platform: PlatformDep, subscriptions: SubscriptionsDep,
                caller: Subscriber) -> dict[str, Any]:
    with platform.db.transaction() as session:
        row = subscriptions.own(session, caller, subscription_id)
        body = render.subscription(row)
        subscriptions.delete(session, caller, subscription_id)
    return body
