"""Routes of recruiters and counsellors (`profiles:search`): pseudonymous search with facets, detail
views under a daily quota, ranking for an offer, the interest check and what follows it."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse

from services.core.codes import CommuneCode, DepartementCode, RomeCode
from services.core.http import (
    Cursor, Date, Limit, decode_cursor, documented, encode_cursor, id_path, idempotency_key_header,
    register_text_convertor,
)
from services.core.idempotency import StoredResponse, idempotent_response, resource_id
from services.profiles.api import examples
from services.profiles.api.deps import IntroductionsDep, PlatformDep, SearchDep, Searcher
from services.profiles.api.schemas import (
    ContactOut, ContractType, InterestRequestIn, IntroductionOut, LanguageCode, MatchList, OutcomeIn, ProfileOut,
    SearchPage, StatsList,
)
from services.profiles.domain.introduction import Introduction
from services.profiles.domain.matching import SearchCriteria, folded_skills
from services.profiles.domain.pseudonyms import PSEUDONYM_LENGTH, PSEUDONYM_PATTERN
from services.profiles.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])
# /contributions and /interest-requests are not pseudonyms: their Allow lists only their own methods.
register_text_convertor("pseudonym", PSEUDONYM_PATTERN.strip("^$"))

INVALID = "The request is not valid; `errors` names each field."
NOT_VISIBLE = "Unknown, or not visible to your organisation."
NOT_YOURS = "No request of your organisation has this id."
SEARCH_ERRORS = {401: "Missing, invalid or expired access token.",
                 403: "The token lacks profiles:search, or your organisation belongs to no audience.", 422: INVALID}
RequestId = id_path(examples.REQUEST_ID)
Skill = Annotated[str, Query(min_length=1, max_length=100)]


@router.get("", response_model=SearchPage, summary="Search pseudonymous profiles, with facets",
            responses=documented(200, examples.SEARCH_PAGE, SEARCH_ERRORS))
def search_profiles(
    platform: PlatformDep, search: SearchDep, caller: Searcher, limit: Limit = 20, cursor: Cursor = None,
    rome_codes: Annotated[list[RomeCode] | None, Query(max_length=10, description="Any of these ROME codes.",
                                                       examples=[["D1102"]])] = None,
    skills: Annotated[list[Skill] | None, Query(max_length=10, description="Any of these skills.")] = None,
    commune_code: Annotated[CommuneCode | None, Query(description="INSEE code of the place.")] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=200, description="Around commune_code.")] = None,
    available_by: Annotated[Date | None, Query(description="Available on or before this date.")] = None,
    contract_types: Annotated[list[ContractType] | None, Query(max_length=6)] = None,
    working_time: Annotated[Literal["full_time", "part_time"] | None, Query()] = None,
    languages: Annotated[list[LanguageCode] | None, Query(max_length=5)] = None,
    driving_licence: Annotated[bool | None, Query(description="true: holders of a driving licence only.")] = None,
) -> dict[str, Any]:
    # The page's sort key: (asked terms the last profile has, its id).
    after = decode_cursor(cursor, int, str) if cursor else None
    criteria = SearchCriteria(
        rome_codes=tuple(rome_codes or ()), skills=folded_skills(skills or []),
        communes=search.near(commune_code, radius_km), available_by=available_by,
        contract_types=tuple(contract_types or ()), working_time=working_time, languages=tuple(languages or ()),
        driving_licence=driving_licence)
    reading = search.reading(platform.db)
    with platform.db.reading() as session:
        uow = on_session(session, platform.outbox, reading)
        items, last = search.search(uow, caller, criteria, after, limit)
        facets = search.facets(uow, caller, criteria)
    return {"items": items, "next_cursor": encode_cursor(list(last)) if last else None,
            "facets": {name: [{"value": value, "count": count} for value, count in values]
                       for name, values in facets.items()}}


@router.get("/stats", response_model=StatsList, summary="Introductions and hires, by audience and département",
            responses=documented(200, examples.STATS, SEARCH_ERRORS))
def stats(platform: PlatformDep, introductions: IntroductionsDep, caller: Searcher,
          departement_code: Annotated[DepartementCode | None, Query(examples=["44"])] = None) -> dict[str, Any]:
    with platform.db.reading() as session:
        return {"items": introductions.stats(on_session(session, platform.outbox), departement_code)}


@router.get("/offers/{offer_id}/matches", response_model=MatchList, summary="Profiles ranked for one of your offers",
            responses=documented(200, {"items": [{**examples.PROFILE, "match": examples.OFFER_MATCH}]},
                                 {**SEARCH_ERRORS, 404: "No published offer of your organisation has this id."}))
def matches(offer_id: id_path(examples.OFFER_ID), platform: PlatformDep,
            search: SearchDep, caller: Searcher, limit: Limit = 20) -> dict[str, Any]:
    reading = search.reading(platform.db)
    with platform.db.reading() as session:
        return {"items": search.for_offer(on_session(session, platform.outbox, reading), caller, offer_id, limit)}


@router.get("/{pseudonym:pseudonym}", response_model=ProfileOut, summary="Open one profile (counted in your daily quota)",
            responses=documented(200, examples.PROFILE, {
                **SEARCH_ERRORS, 404: NOT_VISIBLE,
                429: "Your organisation's daily quota of detail views is used up; see Retry-After."}))
def read_profile(pseudonym: Annotated[str, Path(pattern=PSEUDONYM_PATTERN, max_length=PSEUDONYM_LENGTH,
                                                examples=[examples.PSEUDONYM])],
                 platform: PlatformDep, search: SearchDep, caller: Searcher) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return search.detail(on_session(session, platform.outbox), caller, pseudonym)


@router.post("/interest-requests", status_code=201, response_model=IntroductionOut,
             summary="Ask whether the person is interested, before any contact",
             responses=documented(201, examples.INTRODUCTION, {
                 **SEARCH_ERRORS, 404: NOT_VISIBLE,
                 409: "Your organisation already asked this person, or Idempotency-Key reused."}, sends=("Location",)))
def request_interest(
    request: Request, platform: PlatformDep, search: SearchDep, introductions: IntroductionsDep, caller: Searcher,
    payload: Annotated[InterestRequestIn, Body(openapi_examples={"mission": {
        "summary": "A temp agency proposes a mission", "value": examples.INTEREST_REQUEST}})],
    idempotency_key: idempotency_key_header(examples.INTEREST_KEY) = None,
) -> JSONResponse:
    def operation(session) -> StoredResponse:
        introduction = introductions.request(on_session(session, platform.outbox), caller,
                                             resource_id(caller.client_id, idempotency_key), payload.pseudonym,
                                             payload.offer_id, payload.message)
        return StoredResponse(201, to_requester(search, caller, introduction),
                              {"Location": f"/v1/profiles/interest-requests/{introduction.id}"})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key,
                               payload.model_dump(mode="json"), operation)


@router.get("/interest-requests/{request_id}", response_model=IntroductionOut, summary="Follow your request",
            responses=documented(200, examples.INTRODUCTION, {**SEARCH_ERRORS, 404: NOT_YOURS}))
def read_interest_request(request_id: RequestId, platform: PlatformDep, search: SearchDep,
                          introductions: IntroductionsDep, caller: Searcher) -> dict[str, Any]:
    with platform.db.reading() as session:
        introduction = introductions.of_requester(on_session(session, platform.outbox), caller, request_id)
    return to_requester(search, caller, introduction)


@router.post("/interest-requests/{request_id}/contact", response_model=ContactOut,
             summary="Get the contact details of a person who said yes (once)",
             responses=documented(200, examples.CONTACT, {
                 **SEARCH_ERRORS, 404: NOT_YOURS,
                 403: "The person has not said yes, or withdrew their consent.",
                 409: "Already released: contact details are given once."}))
def release_contact(request: Request, request_id: RequestId, platform: PlatformDep, introductions: IntroductionsDep,
                    caller: Searcher,
                    idempotency_key: idempotency_key_header(examples.CONTACT_KEY) = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        return StoredResponse(200, introductions.release_contact(on_session(session, platform.outbox), caller,
                                                                 request_id))

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key, None, operation)


@router.post("/interest-requests/{request_id}/outcome", response_model=IntroductionOut,
             summary="Record what came of the introduction",
             responses=documented(200, examples.HIRED, {
                 **SEARCH_ERRORS, 404: NOT_YOURS, 409: "No introduction yet, or the outcome is final."}))
def record_outcome(request: Request, request_id: RequestId, platform: PlatformDep, search: SearchDep,
                   introductions: IntroductionsDep, caller: Searcher,
                   payload: Annotated[OutcomeIn, Body(openapi_examples={"hired": {
                       "summary": "Hired", "value": {"outcome": "hired"}}})],
                   idempotency_key: idempotency_key_header(examples.OUTCOME_KEY) = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        introduction = introductions.record_outcome(on_session(session, platform.outbox), caller, request_id,
                                                    payload.outcome, payload.reason)
        return StoredResponse(200, to_requester(search, caller, introduction))

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key,
                               payload.model_dump(mode="json"), operation)


def to_requester(search, caller, introduction: Introduction) -> dict[str, Any]:
    """The recruiter knows the person by its pseudonym only."""
    return IntroductionOut.model_validate({
        **introduction.__dict__, "pseudonym": search.pseudonyms.of(caller.org_id, introduction.person_id),
        "person_id": None}).model_dump(mode="json")
