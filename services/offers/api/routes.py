"""HTTP routes of the catalogue: search, one offer, its distribution and attractiveness, its life."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse

from services.core.codes import DepartementCode, ExistingCommuneCode, ExistingRomeCode, Siret, checked_against
from services.core.errors import RuleBroken
from services.core.http import (
    AUTH_ERRORS, Cursor, DateTime, Limit, check_if_match, decode_cursor, documented, encode_cursor, etag,
    id_path, idempotency_key_header, if_match_header,
)
from services.core.identity import Caller
from services.core.idempotency import StoredResponse, idempotent_response
from services.offers.adapters.search import Near, SearchQuery
from services.offers.api import examples, render
from services.offers.api.deps import CatalogDep, LifecycleDep, PlatformDep, Reader
from services.offers.api.deps import Publisher as PublisherCaller
from services.offers.api.schemas import OfferAttractiveness, OfferDistribution, OfferOut, OfferPage, Status, WithdrawIn
from services.offers.domain.offer import OfferStatus
from services.offers.domain.places import place_of
from services.offers.domain.rome import RomeReference

router = APIRouter(prefix="/v1/offers", tags=["offers"])

FillKey = idempotency_key_header(examples.FILL_KEY)
WithdrawKey = idempotency_key_header(examples.WITHDRAW_KEY)
IfMatch = if_match_header("offer")
OfferId = id_path(examples.OFFER_ID, "The canonical offer's id.")
# Withdrawing and filling are alternatives: the withdrawal's example is another of the bakery's offers.
WithdrawnOfferId = id_path(examples.WITHDRAWN_OFFER_ID, "The canonical offer's id.")
# A search cursor: ("o", offset, 0) for relevance and distance pages, ("d", published_at or null, seq) for dates.
SEARCH_CURSOR = (str, (int, datetime, type(None)), int)
NOT_VISIBLE = {404: "Unknown, or quarantined and not yours."}
CHANGE_ERRORS = {**AUTH_ERRORS, **NOT_VISIBLE, 409: "Not possible in the offer's current status, or Idempotency-Key "
                 "reused.", 412: "Stale ETag: read again, reapply.", 428: "If-Match is required.",
                 422: "The request is not valid; `errors` names each field."}
ContractType = Literal["CDI", "CDD", "MIS", "SAI", "ALT", "LIB"]


@router.get("", response_model=OfferPage, summary="Search offers: French full text, filters, facets",
            description=examples.SEARCH_DESCRIPTION,
            responses=documented(200, examples.SEARCH_PAGE, {**AUTH_ERRORS, 422: "A filter is not valid (unknown "
                                                             "commune or ROME code, distance sort without a place…)."}))
def search_offers(
    platform: PlatformDep, catalog: CatalogDep, caller: Reader,
    q: Annotated[str | None, Query(max_length=200, description="Words, accents and plurals folded.",
                                   examples=["boulanger"])] = None,
    rome_code: Annotated[ExistingRomeCode | None, Query(examples=["D1102"])] = None,
    contract_type: ContractType | None = None,
    departement_code: Annotated[DepartementCode | None, Query(examples=["44"])] = None,
    commune_code: Annotated[ExistingCommuneCode | None, Query(examples=["44109"],
                                              description="INSEE code; with radius_km, the centre of the search.")] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=200, description="Needs commune_code.",
                                             json_schema_extra=checked_against("the query: needs commune_code"))] = None,
    min_salary: Annotated[int | None, Query(ge=0, le=1_000_000, description="Yearly gross euros, at least (top "
                                                                             "of the offer's range).")] = None,
    published_since: Annotated[DateTime | None, Query(description="RFC 3339.")] = None,
    employer: Annotated[Siret | None, Query(description="The employer's SIRET.")] = None,
    accessible_to_disabled: bool | None = None,
    status: Annotated[Status, Query(
        description="Other than published: quarantined offers are only yours.")] = OfferStatus.PUBLISHED.value,
    sort: Annotated[Literal["relevance", "date", "distance"],
                    Query(json_schema_extra=checked_against("the query: distance needs commune_code and radius_km"))
                    ] = "relevance",
    facets: Annotated[bool, Query(description="Count contract types, départements and ROME codes.")] = True,
    limit: Limit = 20, cursor: Cursor = None,
) -> dict[str, Any]:
    near = _near(commune_code, radius_km, sort)
    _check_codes(rome_code, commune_code)
    owner_org_id, employer = _restriction(caller, status, employer)
    query = SearchQuery(
        text=q, rome_code=rome_code, contract_type=contract_type, departement_code=departement_code,
        commune_code=commune_code if near is None else None, near=near, min_salary=min_salary,
        published_since=published_since, employer_siret=employer, accessible_to_disabled=accessible_to_disabled,
        status=status, owner_org_id=owner_org_id, sort=sort, limit=limit,
        after=decode_cursor(cursor, *SEARCH_CURSOR) if cursor else (), with_facets=facets)
    result = catalog.search(platform.db, query)
    items = [render.summary(hit.offer, hit.distance_km) for hit in result.hits]
    return {"items": items, "next_cursor": encode_cursor(list(result.next_after)) if result.next_after else None,
            "total": result.total, "facets": render.facets(result.facets) if facets else None}


def _near(commune_code: str | None, radius_km: float | None, sort: str) -> Near | None:
    if radius_km is not None and commune_code is None:
        raise RuleBroken("A radius needs commune_code, the centre of the search.", field="query.radius_km")
    if sort == "distance" and radius_km is None:
        raise RuleBroken("Sorting by distance needs commune_code and radius_km.", field="query.sort")
    if radius_km is None:
        return None
    place = place_of(commune_code)
    if place is None:
        raise _unknown_commune(commune_code)
    return Near(place.latitude, place.longitude, radius_km)


def _check_codes(rome_code: str | None, commune_code: str | None) -> None:
    if rome_code is not None and rome_code not in RomeReference.default():
        raise RuleBroken(f"Unknown ROME code {rome_code}.", field="query.rome_code")
    if commune_code is not None and place_of(commune_code) is None:
        raise _unknown_commune(commune_code)


def _unknown_commune(commune_code: str) -> RuleBroken:
    return RuleBroken(f"Unknown INSEE commune code {commune_code}.", field="query.commune_code")


def _restriction(caller: Caller, status: str, employer: str | None) -> tuple[str | None, str | None]:
    """(owner_org_id, employer_siret) of the search: quarantined offers are searched among the
    caller's own only, those of its SIRET for an employer (an impossible SIRET when it asks for another's)."""
    if status != OfferStatus.QUARANTINED or caller.is_admin:
        return None, employer
    if caller.siret:
        return None, caller.siret if employer in (None, caller.siret) else "-"
    return caller.org_id, employer


@router.get("/{offer_id:uuid_text}", response_model=OfferOut, summary="One offer, with its legality findings",
            responses=documented(200, examples.OFFER, {**AUTH_ERRORS, **NOT_VISIBLE}, sends=("ETag",)))
def read_offer(offer_id: OfferId, platform: PlatformDep, lifecycle: LifecycleDep, caller: Reader,
               response: Response) -> dict[str, Any]:
    with platform.db.transaction() as session:
        view = lifecycle.view(session, caller, offer_id)
        body = render.offer(view)
    response.headers["ETag"] = etag(view.row.version)
    return body


@router.get("/{offer_id:uuid_text}/distribution", response_model=OfferDistribution,
            summary="Everywhere the offer was published: one canonical offer, all its sources",
            responses=documented(200, examples.DISTRIBUTION, {**AUTH_ERRORS, **NOT_VISIBLE}))
def read_distribution(offer_id: OfferId, platform: PlatformDep, lifecycle: LifecycleDep, caller: Reader) -> dict[str, Any]:
    with platform.db.transaction() as session:
        view = lifecycle.view(session, caller, offer_id)
        return {"offer_id": view.row.id, "status": view.row.status, "sources": [render.source(s) for s in view.sources]}


@router.get("/{offer_id:uuid_text}/attractiveness", response_model=OfferAttractiveness,
            summary="How the offer compares with the offers of its ROME code in its département",
            responses=documented(200, examples.ATTRACTIVENESS, {**AUTH_ERRORS, **NOT_VISIBLE,
                                                                  409: "The offer has no ROME code or no place."}))
def read_attractiveness(offer_id: OfferId, platform: PlatformDep, lifecycle: LifecycleDep, caller: Reader) -> dict[str, Any]:
    with platform.db.transaction() as session:
        row, peers, comparison = lifecycle.attractiveness(session, caller, offer_id)
        return {"offer_id": row.id, "rome_code": row.rome_code, "departement_code": row.departement_code,
                "peers": peers, "dimensions": comparison}


def _changed(session, lifecycle, caller: Caller, row) -> StoredResponse:
    view = lifecycle.view(session, caller, row.id)
    return StoredResponse(200, OfferOut.model_validate(render.offer(view)).model_dump(mode="json"),
                          {"ETag": etag(row.version)})


@router.post("/{offer_id:uuid_text}/fill", response_model=OfferOut, summary="The offer is filled: it leaves distribution, "
             "and its time to fill is recorded", responses=documented(200, examples.FILLED, CHANGE_ERRORS, sends=("ETag",)))
def fill_offer(request: Request, offer_id: OfferId, platform: PlatformDep, lifecycle: LifecycleDep, caller: PublisherCaller,
         if_match: IfMatch = None, idempotency_key: FillKey = None) -> JSONResponse:
    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, {}, lambda session: _changed(
        session, lifecycle, caller, lifecycle.fill(session, caller, offer_id, lambda v: check_if_match(if_match, v))))


@router.post("/{offer_id:uuid_text}/withdraw", response_model=OfferOut, summary="Withdraw the offer (published or quarantined)",
             responses=documented(200, examples.WITHDRAWN, CHANGE_ERRORS, sends=("ETag",)))
def withdraw_offer(request: Request, offer_id: WithdrawnOfferId, platform: PlatformDep, lifecycle: LifecycleDep,
             caller: PublisherCaller, body: Annotated[WithdrawIn | None, Body(openapi_examples={"cancelled": {
                 "summary": "The position was cancelled", "value": examples.WITHDRAW}})] = None,
             if_match: IfMatch = None, idempotency_key: WithdrawKey = None) -> JSONResponse:
    reason = body.reason if body else None
    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, {"reason": reason},
                               lambda session: _changed(session, lifecycle, caller, lifecycle.withdraw(
                                   session, caller, offer_id, reason, lambda v: check_if_match(if_match, v))))
