"""HTTP routes of the scale (what would apply), each territory's scale version, and the statistics."""
from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from services.core.codes import DepartementCode
from services.core.http import AUTH_ERRORS, Month, check_if_match, documented, etag, if_match_header
from services.sanctions.api import examples
from services.sanctions.api.deps import GovernanceDep, PlatformDep, Reader
from services.sanctions.api.schemas import SanctionScaleIn, SanctionScaleOut, SanctionScaleChoiceOut, SanctionScaleChoiceIn, SanctionStatsOut
from services.sanctions.domain.scale import evaluate
from services.sanctions.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/sanctions", tags=["sanctions"])
TerritoryPath = Annotated[DepartementCode, Path(description="A département code.", examples=["44"])]


@router.post("/scale/evaluate", response_model=SanctionScaleOut,
             summary="What the scale would apply to a lapse (changes nothing)",
             responses=documented(200, examples.EVALUATE_OUT, {**AUTH_ERRORS, 422: "Unknown category or version for "
                                                                 "this regime; `errors` names the field."}))
def evaluate_scale(request: Request, caller: Reader, body: Annotated[SanctionScaleIn, Body(openapi_examples={
        "rsa_household": {"summary": "An RSA recipient's first lapse, household of three",
                          "value": examples.EVALUATE_IN}})]) -> dict[str, Any]:
    # No Idempotency-Key: nothing is created or changed, so a retry is harmless by nature.
    result = evaluate(request.app.state.sanction_scales, body.regime, body.category, body.previous_sanctions,
                      body.household_size, body.version)
    return SanctionScaleOut.model_validate(asdict(result)).model_dump(mode="json")


@router.get("/referentials/{territory}", response_model=SanctionScaleChoiceOut,
            summary="The scale version a territory applies to the cases it opens",
            responses=documented(200, examples.CHOICE, AUTH_ERRORS, sends=("ETag",)))
def read_scale_choice(territory: TerritoryPath, platform: PlatformDep, service: GovernanceDep, caller: Reader,
                      response: Response) -> dict[str, Any]:
    with platform.db.transaction() as session:
        choice = service.choice(on_session(session, platform.outbox), territory)
    response.headers["ETag"] = etag(choice["revision"])
    return SanctionScaleChoiceOut.model_validate(choice).model_dump(mode="json")


@router.put("/referentials/{territory}", response_model=SanctionScaleChoiceOut,
            summary="Switch a territory to the current or the target scale (admin); open cases keep theirs",
            responses=documented(200, examples.CHOICE, {**AUTH_ERRORS, 403: "Requires the admin scope.",
                                                        412: "Stale ETag (when If-Match is given).",
                                                        422: "The request is not valid."}, sends=("ETag",)))
def switch_scale(territory: TerritoryPath, platform: PlatformDep, service: GovernanceDep, caller: Reader,
                 body: Annotated[SanctionScaleChoiceIn, Body(openapi_examples={"target": {
                     "summary": "Loire-Atlantique tries the target regime",
                     "value": {"version": "target", "comment": "Expérimentation du régime cible."}}})],
                 if_match: if_match_header("territory's scale choice", '"0"') = None) -> JSONResponse:
    # If-Match optional (one admin team switches scales) but honoured when given, as orientation's referentials.
    with platform.db.transaction() as session:
        choice = service.switch(on_session(session, platform.outbox), caller, territory, body.version, body.comment,
                                lambda revision: if_match is None or check_if_match(if_match, revision))
    return JSONResponse(SanctionScaleChoiceOut.model_validate(choice).model_dump(mode="json"),
                        headers={"ETag": etag(choice["revision"])})


@router.get("/stats", response_model=SanctionStatsOut,
            summary="Lapses by obligation and source, cases by outcome, sanctions by level, per territory and month",
            responses=documented(200, examples.STATS, {**AUTH_ERRORS, 403: "A territory not your organisation's.",
                                                       422: "Invalid filter."}))
def sanction_stats(platform: PlatformDep, service: GovernanceDep, caller: Reader,
                   territory: Annotated[DepartementCode | None, Query(examples=["44"])] = None,
                   month: Month | None = None) -> dict[str, Any]:
    with platform.db.transaction() as session:
        return service.stats(on_session(session, platform.outbox), caller, territory, month)
