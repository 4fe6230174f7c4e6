"""Response models of the indicators API (named after the service: the gateway merges every contract)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from services.core.http import Month

LevelName = Literal["national", "region", "departement", "bassin"]


class IndicatorDefinitionOut(BaseModel):
    code: str
    version: int
    family: Literal["impact", "activity", "description"]
    label: str
    description: str
    formula: str
    unit: Literal["people", "offers", "share", "days"]
    sources: list[str]
    breakdowns: list[str]
    status: Literal["available", "awaiting_fact"]
    awaiting: str | None = None  # the fact an indicator awaiting one needs


class IndicatorCatalogueOut(BaseModel):
    version: int
    items: list[IndicatorDefinitionOut]


class IndicatorFigureOut(BaseModel):
    month: Month
    category: str
    value: float | int | None = None  # absent or null: withheld by the secrecy rule
    numerator: int | None = None
    denominator: int | None = None
    count: int | None = None


class IndicatorObservationsOut(BaseModel):
    indicator: str
    territory_level: LevelName
    territory: str
    breakdown: str
    secrecy: str
    unsuppressed: bool
    items: list[IndicatorFigureOut]


class IndicatorDatasetOut(BaseModel):
    indicator: str
    label: str
    unit: str
    levels: list[LevelName]
    formats: list[Literal["json", "csv"]]
    url: str


class IndicatorDatasetsOut(BaseModel):
    secrecy: str
    items: list[IndicatorDatasetOut]


class IndicatorExportRowOut(IndicatorFigureOut):
    territory: str
    name: str


class IndicatorExportOut(BaseModel):
    definition: IndicatorDefinitionOut
    level: LevelName
    month: Month
    secrecy: str
    consumer_lag: int | None = None  # messages the consumer had still to apply at export time; absent: unknown
    items: list[IndicatorExportRowOut]
