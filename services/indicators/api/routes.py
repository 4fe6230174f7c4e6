"""HTTP routes of the indicators: the definitions and a territory's observations."""
from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from services.core.codes import checked_against
from services.core.errors import NotFound, RuleBroken
from services.core.http import AUTH_ERRORS, Month, documented
from services.indicators.api import examples
from services.indicators.api.deps import FactsDep, PlatformDep, Reader
from services.indicators.api.schemas import (IndicatorCatalogueOut, IndicatorObservationsOut, LevelName)
from services.indicators.domain.definitions import Status, shipped_catalogue
from services.indicators.domain.observations import ALL, OPEN, figures, months_between
from services.indicators.domain.territories import Level
from services.indicators.service.unit_of_work import on_session

router = APIRouter(prefix="/v1/indicators", tags=["indicators"])
MAX_MONTHS = 36
CodePath = Annotated[str, Path(max_length=60, pattern=r"^[a-z_]+$", description="An indicator's code.",
                               examples=["registrations"])]


@router.get("", response_model=IndicatorCatalogueOut, summary="The indicators' versioned definitions",
            responses=documented(200, examples.CATALOGUE, {**AUTH_ERRORS, 422: "Unknown family."}))
def list_indicators(caller: Reader, family: Annotated[
        Literal["impact", "activity", "description"] | None,
        Query(description="Only this family's indicators.", examples=["impact"])] = None) -> dict[str, Any]:
    catalogue = shipped_catalogue()
    items = [{**asdict(item), "family": item.family.value, "unit": item.unit.value, "status": item.status.value}
             for item in catalogue.indicators if family is None or item.family.value == family]
    return IndicatorCatalogueOut.model_validate({"version": catalogue.version, "items": items}).model_dump(mode="json")


@router.get("/{code}/observations", response_model=IndicatorObservationsOut,
            summary="A territory's figures by month, withheld by the secrecy rule outside the caller's territories",
            responses=documented(200, examples.OBSERVATIONS, {
                **AUTH_ERRORS, 404: "No such indicator, or no such territory at this level.",
                422: "The request is not valid: `errors` names the parameter."}))
def read_observations(request: Request, code: CodePath, caller: Reader, platform: PlatformDep, facts: FactsDep,
                      territory_level: Annotated[LevelName, Query(examples=["departement"])],
                      territory: Annotated[str, Query(max_length=40, pattern=r"^[0-9A-Za-z-]+$", examples=["44"])],
                      start: Annotated[Month, Query(alias="from", examples=["2026-10"])],
                      end: Annotated[Month, Query(alias="to", examples=["2026-11"], json_schema_extra=checked_against(
                          f"the query: not before `from`, at most {MAX_MONTHS} months after it"))],
                      breakdown: Annotated[str, Query(max_length=40, pattern=r"^[a-z_]+$", json_schema_extra=(
                          checked_against("the indicator's breakdowns (GET /v1/indicators)")))] = ALL
                      ) -> dict[str, Any]:
    definition = shipped_catalogue().get(code)
    level = Level(territory_level)
    if definition is None or definition.status is not Status.AVAILABLE:
        raise NotFound(f"No indicator {code} is published.")
    if facts.territories.find(level, territory) is None:
        raise NotFound(f"No {territory_level} {territory}.")
    if breakdown != ALL and breakdown not in definition.breakdowns:
        raise RuleBroken(f"This indicator is broken down by {', '.join(definition.breakdowns) or 'nothing'}.",
                         field="query.breakdown")
    months = months_between(start, end)
    if not 0 < len(months) <= MAX_MONTHS:
        raise RuleBroken(f"`from` comes before `to`, at most {MAX_MONTHS} months apart.", field="query.to")
    own = facts.is_own_territory(caller.territories, level, territory)
    rule = OPEN if own else request.app.state.indicator_secrecy
    with platform.db.transaction() as session:
        ledger = facts.ledger(on_session(session, platform.outbox), code, (months[0], months[-1]))
    items = [item for month in months
             for item in figures(ledger, definition, level, facts.territories.find(level, territory).code,
                                 month, breakdown, rule)]
    return IndicatorObservationsOut.model_validate({
        "indicator": code, "territory_level": level.value, "territory": territory, "breakdown": breakdown,
        "secrecy": request.app.state.indicator_secrecy.statement, "unsuppressed": own, "items": items,
    }).model_dump(mode="json")
