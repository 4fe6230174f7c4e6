"""Territories as data: commune -> bassin d'emploi -> département -> région -> national.

The geography (commune -> département -> région) is core's INSEE referential; bassins come from a
zoning file the préfet sets each year (referentials/bassins_<région>.csv, one row per commune). A
commune outside every shipped zoning has no bassin: its events count at the département and above.

Any well-formed commune code is placed from its structure (its département, hence its région), so
core's shipped subset of communes loses no event. An official full list (INSEE's COG, as Etalab's
"decoupage-administratif" packages it; `geo.load_communes_csv`) adds each commune's name and lets a
zoning file be checked commune by commune rather than by département only.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from services.core.referentials.geo import GeoReferential, default_geo

ZONINGS_DIR = Path(__file__).parent.parent / "referentials"
NATIONAL = "FR"


class Level(str, Enum):
    NATIONAL = "national"
    REGION = "region"
    DEPARTEMENT = "departement"
    BASSIN = "bassin"
    COMMUNE = "commune"


@dataclass(frozen=True)
class Bassin:
    code: str
    name: str
    departement_code: str


@dataclass(frozen=True)
class Territory:
    level: Level
    code: str
    name: str
    parent: tuple[Level, str] | None


class Territories:
    """Where a fact counts: every level above the place it happened in."""

    def __init__(self, geo: GeoReferential, zoning: Iterable[tuple[Bassin, str]]) -> None:
        self._geo = geo
        self._bassin_of_commune: dict[str, Bassin] = {}
        for bassin, commune_code in zoning:
            if geo.departement_of_commune_code(commune_code) != bassin.departement_code:
                raise ValueError(f"commune {commune_code} is not in bassin {bassin.code}'s département")
            self._bassin_of_commune[commune_code.upper()] = bassin

    def of_commune(self, commune_code: str) -> dict[Level, str]:
        """The territories a fact located in this commune counts in; empty for a malformed code."""
        departement = self._geo.departement_of_commune_code(commune_code)
        if departement is None:
            return {}
        found = {Level.COMMUNE: commune_code.upper(), **self.of_departement(departement)}
        if (bassin := self._bassin_of_commune.get(commune_code.upper())) is not None:
            found[Level.BASSIN] = bassin.code
        return found

    def of_departement(self, departement_code: str) -> dict[Level, str]:
        """A fact that only knows its département counts there and above (no bassin, no commune)."""
        departement = self._geo.departement(departement_code)
        if departement is None:
            return {}
        return {Level.DEPARTEMENT: departement.code, Level.REGION: departement.region_code, Level.NATIONAL: NATIONAL}

    def bassins(self) -> list[Bassin]:
        return sorted(set(self._bassin_of_commune.values()), key=lambda bassin: bassin.code)

    def children(self, level: Level, code: str) -> list[Territory]:
        """The territories one level below (national -> régions -> départements -> bassins)."""
        if level is Level.NATIONAL:
            return [Territory(Level.REGION, region.code, region.name, (level, code))
                    for region in sorted(self._geo.regions(), key=lambda region: region.code)]
        if level is Level.REGION:
            return [Territory(Level.DEPARTEMENT, item.code, item.name, (level, code))
                    for item in sorted(self._geo.departements(), key=lambda item: item.code)
                    if item.region_code == code]
        if level is Level.DEPARTEMENT:
            return [Territory(Level.BASSIN, bassin.code, bassin.name, (level, code))
                    for bassin in self.bassins() if bassin.departement_code == code]
        return []

    def at_level(self, level: Level) -> list[Territory]:
        """Every territory of a published level (communes are the grain, not a published level)."""
        if level is Level.NATIONAL:
            return [self.find(level, NATIONAL)]
        parents = self.at_level({Level.REGION: Level.NATIONAL, Level.DEPARTEMENT: Level.REGION,
                                 Level.BASSIN: Level.DEPARTEMENT}[level])
        return [child for parent in parents for child in self.children(parent.level, parent.code)]

    def find(self, level: Level, code: str) -> Territory | None:
        if level is Level.NATIONAL:
            return Territory(level, NATIONAL, "France", None) if code == NATIONAL else None
        if level is Level.REGION:
            region = self._geo.region(code)
            return Territory(level, region.code, region.name, (Level.NATIONAL, NATIONAL)) if region else None
        if level is Level.DEPARTEMENT:
            item = self._geo.departement(code)
            return Territory(level, item.code, item.name, (Level.REGION, item.region_code)) if item else None
        if level is Level.BASSIN:
            bassin = next((b for b in self.bassins() if b.code == code), None)
            return Territory(level, bassin.code, bassin.name, (Level.DEPARTEMENT, bassin.departement_code)) \
                if bassin else None
        commune = self._geo.commune(code)
        return Territory(level, commune.insee_code, commune.name, (Level.DEPARTEMENT, commune.departement_code)) \
            if commune else None


def read_zoning(path: Path) -> list[tuple[Bassin, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return [(Bassin(row["bassin_code"], row["bassin_name"], row["departement_code"]), row["commune_code"])
                for row in rows]


@lru_cache(maxsize=1)
def shipped_territories() -> Territories:
    zoning = [entry for path in sorted(ZONINGS_DIR.glob("bassins_*.csv")) for entry in read_zoning(path)]
    return Territories(default_geo(), zoning)
