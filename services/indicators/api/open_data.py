"""Open data: no token. Every indicator per territory level and month, as JSON or CSV, with its
definition, the secrecy rule applied and the data's freshness (the consumer's lag at export time)."""
from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from services.core.errors import NotFound
from services.core.http import Month, documented
from services.core.metrics import consumer_lag
from services.indicators.api import examples
from services.indicators.api.deps import FactsDep, PlatformDep
from services.indicators.api.schemas import IndicatorDatasetsOut, IndicatorExportOut, LevelName
from services.indicators.domain.definitions import Status, shipped_catalogue
from services.indicators.domain.observations import export_rows
from services.indicators.domain.territories import Level
from services.indicators.service.facts import CONSUMER_NAME
from services.indicators.service.unit_of_work import on_session

router = APIRouter(prefix="/open-data/indicators", tags=["open data"])
LEVELS = [level.value for level in Level if level is not Level.COMMUNE]
CSV_COLUMNS = ("territory", "name", "month", "category", "value", "numerator", "denominator", "count")


@router.get("", response_model=IndicatorDatasetsOut, summary="The open datasets: one per indicator, level and month",
            responses=documented(200, examples.DATASETS, {422: "The request is not valid."}))
def list_datasets(request: Request, lang: Annotated[Literal["fr"], Query(
        description="Labels' language (French only).", examples=["fr"])] = "fr") -> dict[str, Any]:
    items = [{"indicator": item.code, "label": item.label, "unit": item.unit.value, "levels": LEVELS,
              "formats": ["json", "csv"], "url": f"/open-data/indicators/{item.code}/{{level}}/{{month}}"}
             for item in shipped_catalogue().available()]
    return IndicatorDatasetsOut.model_validate({"secrecy": request.app.state.indicator_secrecy.statement,
                                                "items": items}).model_dump(mode="json")


def _json_or_csv(responses: dict) -> dict:
    """The export's 200 in either format (`format=csv`: one row per territory and category)."""
    responses[200]["content"]["text/csv"] = {"schema": {"type": "string"}, "example": examples.EXPORT_CSV}
    return responses


@router.get("/{code}/{level}/{month}", response_model=IndicatorExportOut,
            summary="One indicator for every territory of a level in a month, under statistical secrecy",
            responses=_json_or_csv(documented(200, examples.EXPORT, {404: "No such published indicator.",
                                                                      422: "The request is not valid."})))
def export(request: Request, platform: PlatformDep, facts: FactsDep,
           code: Annotated[str, Path(max_length=60, pattern=r"^[a-z_]+$", examples=["registrations"])],
           level: Annotated[LevelName, Path(examples=["departement"])],
           month: Annotated[Month, Path(examples=["2026-11"])],
           format: Annotated[Literal["json", "csv"], Query(examples=["json"])] = "json") -> Any:
    definition = shipped_catalogue().get(code)
    if definition is None or definition.status is not Status.AVAILABLE:
        raise NotFound(f"No indicator {code} is published.")
    rule = request.app.state.indicator_secrecy
    lag = consumer_lag(platform.settings.consumer_group_prefix + CONSUMER_NAME)
    with platform.db.transaction() as session:
        ledger = facts.ledger(on_session(session, platform.outbox), code, (month, month))
    rows = export_rows(ledger, definition, Level(level), month, rule)
    if format == "csv":
        return Response(_csv(rows), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{code}_{level}_{month}.csv"'})
    document = {"definition": {**asdict(definition), "family": definition.family.value, "unit": definition.unit.value,
                               "status": definition.status.value},
                "level": level, "month": month, "secrecy": rule.statement, "consumer_lag": lag, "items": rows}
    return IndicatorExportOut.model_validate(document).model_dump(mode="json")


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
