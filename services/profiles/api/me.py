"""The person's own profile (/v1/me/profile): read it with its consents, give or withdraw consent per
audience, and answer an interest request, through the referent's use cases with the person as the
caller (policy: the `self` relation). The person is the token's, never the URL's."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import JSONResponse

from services.core.http import AUTH_ERRORS, documented, etag, id_path, idempotency_key_header
from services.core.idempotency import StoredResponse, idempotent_response
from services.core.identity import PersonCaller
from services.profiles.api import examples
from services.profiles.api.deps import IntroductionsDep, PlatformDep, ProfilesDep
from services.profiles.api.referents import managed_out, to_referent
from services.profiles.api.schemas import (
    AnswerIn, ManagedProfileOut, ProfileMyConsentIn, ProfileMyInterestList, ProfileMyInterestOut,
)
from services.profiles.domain.consent import Audience
from services.profiles.domain.introduction import Introduction
from services.profiles.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/me/profile", tags=["me"])

RequestId = id_path(examples.MY_REQUEST_ID, "The interest request's id.")
ERRORS = {**AUTH_ERRORS, 403: "Not a person's own token.", 404: "You have no profile (or no such request).",
          422: "The request is not valid; `errors` names each field."}
# A person's consent is given by themself, online.
SELF_SERVICE = "online"
AnswerKey = idempotency_key_header(examples.MY_ANSWER_KEY)


def to_person(introduction: Introduction) -> dict[str, Any]:
    requester = {"org_id": introduction.requester["org_id"], "org_type": introduction.requester["org_type"]}
    return ProfileMyInterestOut.model_validate({**to_referent(introduction), "requester": requester}).model_dump(
        mode="json")


@router.get("", response_model=ManagedProfileOut, summary="My profile, each fact with its source, and my consents",
            responses=documented(200, examples.MANAGED_PROFILE, ERRORS, sends=("ETag",)))
def my_profile(platform: PlatformDep, profiles: ProfilesDep, person: PersonCaller) -> JSONResponse:
    with platform.db.reading() as session:
        profile = profiles.managed(on_session(session, platform.outbox), person, person.person_id)
    return JSONResponse(managed_out(profile), headers={"ETag": etag(profile.version)})


@router.put("/consents/{audience}", response_model=ManagedProfileOut,
            summary="Give or withdraw my consent to show my profile to an audience (effective on the next search)",
            responses=documented(200, examples.MY_WITHDRAWN_PROFILE, ERRORS, sends=("ETag",)))
def set_my_profile_consent(audience: Annotated[Audience, Path(examples=["temp_agencies"])], platform: PlatformDep,
                   profiles: ProfilesDep, person: PersonCaller,
                   body: Annotated[ProfileMyConsentIn, Body(openapi_examples={"withdraw": {
                       "summary": "Camille no longer wants temp agencies to find her",
                       "value": examples.MY_CONSENT_IN}})]) -> JSONResponse:
    with platform.db.transaction() as session:
        profile = profiles.set_consent(on_session(session, platform.outbox), person, person.person_id, audience,
                                       body.granted, SELF_SERVICE)
    return JSONResponse(managed_out(profile), headers={"ETag": etag(profile.version)})


@router.get("/interests", response_model=ProfileMyInterestList, summary="Recruiters' interest requests about me",
            responses=documented(200, examples.MY_INTERESTS, ERRORS))
def my_profile_interests(platform: PlatformDep, introductions: IntroductionsDep, person: PersonCaller) -> dict[str, Any]:
    with platform.db.reading() as session:
        found = introductions.of_person(on_session(session, platform.outbox), person, person.person_id)
    return {"items": [to_person(introduction) for introduction in found]}  # newest first


@router.post("/interests/{request_id}/answer", response_model=ProfileMyInterestOut,
             summary="Answer a recruiter: interested (my contact may then be released once), or declined with a reason",
             responses=documented(200, examples.MY_ANSWERED, {**ERRORS, 409: "Already answered, or expired."}))
def answer_my_profile_interest(request: Request, request_id: RequestId, platform: PlatformDep, introductions: IntroductionsDep,
                       person: PersonCaller,
                       payload: Annotated[AnswerIn, Body(openapi_examples={"yes": {
                           "summary": "Camille is interested", "value": {"answer": "interested"}}})],
                       idempotency_key: AnswerKey = None) -> JSONResponse:
    def operation(session) -> StoredResponse:
        introduction = introductions.answer(on_session(session, platform.outbox), person, person.person_id,
                                            request_id, payload.answer, payload.reason)
        return StoredResponse(200, to_person(introduction))

    return idempotent_response(request, platform.db, person.client_id, idempotency_key,
                               payload.model_dump(mode="json"), operation)
