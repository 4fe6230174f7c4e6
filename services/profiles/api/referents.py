"""Routes of the person's referent (`profiles:manage`): the profile with its provenance, consent and
its revocation, the person's statement, the interest checks to answer, and who saw the profile."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import JSONResponse

from services.core.http import (
    Cursor, Limit, check_if_match, decode_cursor, documented, encode_cursor, etag, id_path, idempotency_key_header,
    if_match_header,
)
from services.core.idempotency import StoredResponse, idempotent_response
from services.profiles.api import examples
from services.profiles.api.deps import IntroductionsDep, Manager, PlatformDep, ProfilesDep
from services.profiles.api.schemas import (
    AccessPage, AnswerIn, ConsentIn, IntroductionList, IntroductionOut, ManagedProfileOut, Statement,
)
from services.profiles.domain.consent import Audience
from services.profiles.domain.introduction import Introduction
from services.profiles.domain.profile import Profile
from services.profiles.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/profiles/persons", tags=["profiles: referents"])

PersonId = id_path(examples.PERSON_ID)
RequestId = id_path(examples.REQUEST_ID)
NOT_VISIBLE = "Unknown, or not a person your organisation accompanies."
ERRORS = {401: "Missing, invalid or expired access token.", 403: "The token lacks profiles:manage.",
          404: NOT_VISIBLE, 422: "The request is not valid; `errors` names each field."}


def managed_out(profile: Profile) -> dict[str, Any]:
    return ManagedProfileOut.model_validate({
        "person_id": profile.person_id, "version": profile.version, "published": profile.published,
        "audiences": profile.active_audiences,
        "findable_by_temp_agencies": profile.findable_by(Audience.TEMP_AGENCIES),
        "commune_code": profile.commune_code, "departement_code": profile.departement_code,
        "facts": {name: fact.to_dict() for name, fact in profile.facts.items()},
        "items": {name: [item.to_dict() for item in items] for name, items in profile.items.items()},
        "proposals": profile.proposals, "consents": [consent.to_dict() for consent in profile.consents.values()],
        "contact": profile.contact,
    }).model_dump(mode="json")


def to_referent(introduction: Introduction) -> dict[str, Any]:
    return IntroductionOut.model_validate({**introduction.__dict__, "pseudonym": None}).model_dump(mode="json")


@router.get("/{person_id}", response_model=ManagedProfileOut, summary="The whole profile, with provenance",
            responses=documented(200, examples.MANAGED_PROFILE, ERRORS, sends=("ETag",)))
def read_managed(person_id: PersonId, platform: PlatformDep, profiles: ProfilesDep, caller: Manager) -> JSONResponse:
    with platform.db.transaction() as session:  # the read is told to the person's access log
        profile = profiles.read(on_session(session, platform.outbox), caller, person_id)
    return JSONResponse(managed_out(profile), headers={"ETag": etag(profile.version)})


@router.patch("/{person_id}/statement", response_model=ManagedProfileOut,
              summary="Record the person's own statement (each field given replaces the earlier one)",
              responses=documented(200, examples.STATED_PROFILE, {
                  **ERRORS, 412: "Stale ETag: read again, reapply.", 428: "If-Match is required."}, sends=("ETag",)))
def state(person_id: PersonId, platform: PlatformDep, profiles: ProfilesDep, caller: Manager,
          statement: Annotated[Statement, Body(openapi_examples={"camille": {
              "summary": "Camille's project, skills and contact", "value": examples.STATEMENT}})],
          if_match: if_match_header("profile", f'"{examples.STATED_FROM_VERSION}"') = None) -> JSONResponse:
    with platform.db.transaction() as session:
        profile = profiles.state(on_session(session, platform.outbox), caller, person_id,
                                 statement.model_dump(mode="json", exclude_unset=True),
                                 lambda version: check_if_match(if_match, version))
    return JSONResponse(managed_out(profile), headers={"ETag": etag(profile.version)})


@router.post("/{person_id}/consents", status_code=201, response_model=ManagedProfileOut,
             summary="Record the person's consent to an audience",
             responses=documented(201, examples.CONSENTED_PROFILE, {
                 **ERRORS, 409: "Already consented to this audience, or Idempotency-Key reused."}, sends=("ETag",)))
def grant(request: Request, person_id: PersonId, platform: PlatformDep, profiles: ProfilesDep, caller: Manager,
          consent: Annotated[ConsentIn, Body(openapi_examples={"temp": {
              "summary": "Camille agrees that temp agencies find her", "value": examples.CONSENT}})],
          idempotency_key: idempotency_key_header(examples.CONSENT_KEY) = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        profile = profiles.grant(on_session(session, platform.outbox), caller, person_id, Audience(consent.audience),
                                 consent.method)
        return StoredResponse(201, managed_out(profile), {"ETag": etag(profile.version)})

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key,
                               consent.model_dump(mode="json"), operation)


@router.delete("/{person_id}/consents/{audience}", response_model=ManagedProfileOut,
               summary="Withdraw the consent to an audience (effective on the next search)",
               responses=documented(200, examples.WITHDRAWN_PROFILE, {
                   **ERRORS, 409: "No active consent to this audience."}, sends=("ETag",)))
def revoke(person_id: PersonId, audience: Annotated[Audience, Path(examples=["temp_agencies"])], platform: PlatformDep, profiles: ProfilesDep,
           caller: Manager) -> JSONResponse:
    with platform.db.transaction() as session:
        profile = profiles.revoke(on_session(session, platform.outbox), caller, person_id, audience)
    return JSONResponse(managed_out(profile), headers={"ETag": etag(profile.version)})


@router.get("/{person_id}/interest-requests", response_model=IntroductionList,
            summary="Recruiters' requests about this person", responses=documented(200, {"items": [examples.REQUESTED_FOR_REFERENT]}, ERRORS))
def interest_requests(person_id: PersonId, platform: PlatformDep, introductions: IntroductionsDep,
                      caller: Manager) -> dict[str, Any]:
    with platform.db.transaction() as session:
        found = introductions.of_person(on_session(session, platform.outbox), caller, person_id)
    return {"items": [to_referent(introduction) for introduction in found]}


@router.post("/{person_id}/interest-requests/{request_id}/answer", response_model=IntroductionOut,
             summary="Answer for the person: interested, or declined with a reason",
             responses=documented(200, examples.ANSWERED, {
                 **ERRORS, 409: "Already answered, or expired."}))
def answer(request: Request, person_id: PersonId, request_id: RequestId,
           platform: PlatformDep, introductions: IntroductionsDep, caller: Manager,
           payload: Annotated[AnswerIn, Body(openapi_examples={"yes": {
               "summary": "Camille is interested", "value": {"answer": "interested"}}})],
           idempotency_key: idempotency_key_header(examples.ANSWER_KEY) = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        introduction = introductions.answer(on_session(session, platform.outbox), caller, person_id, request_id,
                                            payload.answer, payload.reason)
        return StoredResponse(200, to_referent(introduction))

    return idempotent_response(request, platform.db, caller.client_id, idempotency_key,
                               payload.model_dump(mode="json"), operation)


@router.get("/{person_id}/access-log", response_model=AccessPage,
            summary="Who opened the profile or received the contact details, newest first",
            responses=documented(200, examples.ACCESS_PAGE, ERRORS))
def access_log(person_id: PersonId, platform: PlatformDep, profiles: ProfilesDep, caller: Manager,
               limit: Limit = 20, cursor: Cursor = None) -> dict[str, Any]:
    after = decode_cursor(cursor, int)[0] if cursor else None
    with platform.db.transaction() as session:
        entries = profiles.access_log(on_session(session, platform.outbox), caller, person_id, after, limit)
    items = [{"id": entry_id, **{k: v for k, v in entry.__dict__.items() if k not in ("person_id", "client_id")}}
             for entry_id, entry in entries]
    return {"items": items, "next_cursor": encode_cursor([entries[-1][0]]) if len(entries) == limit else None}
