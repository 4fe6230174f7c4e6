"""Indicator definitions: versioned data read from referentials/indicators.yaml, not code.

A definition says what an indicator counts (its source event types and formula), how it is
published (unit, breakdowns) and whether the platform emits its facts yet. Changing one is a new
version of the file and a rebuild of the state from offset 0 (the state is a pure function of the
events), never a migration of stored figures.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml

REFERENTIAL = Path(__file__).parent.parent / "referentials" / "indicators.yaml"


class Family(str, Enum):
    IMPACT = "impact"
    ACTIVITY = "activity"
    DESCRIPTION = "description"


class Unit(str, Enum):
    PEOPLE = "people"
    OFFERS = "offers"
    SHARE = "share"  # numerator / denominator: both are counts the secrecy rule judges
    DAYS = "days"  # a mean: its count of people or offers is what the secrecy rule judges


class Status(str, Enum):
    AVAILABLE = "available"
    AWAITING_FACT = "awaiting_fact"


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    version: int
    family: Family
    label: str
    description: str
    formula: str
    unit: Unit
    sources: tuple[str, ...]
    breakdowns: tuple[str, ...]
    status: Status
    awaiting: str | None


@dataclass(frozen=True)
class Catalogue:
    version: int
    indicators: tuple[IndicatorDefinition, ...]

    def get(self, code: str) -> IndicatorDefinition | None:
        return next((item for item in self.indicators if item.code == code), None)

    def available(self) -> tuple[IndicatorDefinition, ...]:
        return tuple(item for item in self.indicators if item.status is Status.AVAILABLE)


def parse_catalogue(document: dict) -> Catalogue:
    version = int(document["version"])
    indicators = tuple(_definition(entry, version) for entry in document["indicators"])
    codes = [item.code for item in indicators]
    if len(set(codes)) != len(codes):
        raise ValueError("indicator codes must be unique")
    return Catalogue(version, indicators)


def _definition(entry: dict, version: int) -> IndicatorDefinition:
    status = Status(entry.get("status", Status.AVAILABLE.value))
    if status is Status.AWAITING_FACT and not entry.get("awaiting"):
        raise ValueError(f"{entry['code']}: an indicator awaiting a fact names it")
    return IndicatorDefinition(
        code=entry["code"], version=version, family=Family(entry["family"]), label=entry["label"],
        description=entry["description"], formula=entry["formula"], unit=Unit(entry["unit"]),
        sources=tuple(entry["sources"]), breakdowns=tuple(entry.get("breakdowns", ())), status=status,
        awaiting=entry.get("awaiting"),
    )


@lru_cache(maxsize=1)
def shipped_catalogue() -> Catalogue:
    with REFERENTIAL.open(encoding="utf-8") as file:
        return parse_catalogue(yaml.safe_load(file))
