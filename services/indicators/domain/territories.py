"""Territories as data: commune -> bassin d'emploi -> département -> région -> national.

Régions and départements are core's INSEE referential. The communes are every current commune of the
101 départements (referentials/communes.csv, ~34,900 rows derived from Etalab's
"@etalab/decoupage-administratif", INSEE's COG: see referentials/derive.py for why a committed file
and which rows are kept). Municipal arrondissements (75112 Paris 12e) are places of their own beside
their commune (75056 Paris): either code counts in the same département. Bassins come from a zoning
file the préfet sets each year (referentials/bassins_<région>.csv, one row per commune), each row
checked against that list: its commune must exist and lie in the bassin's département. A commune
outside every shipped zoning has no bassin: its events count at the département and above.

A fact is placed from the structure of its commune code (its département, hence its région), not by
looking the code up: a commune merged into another since the fact was recorded keeps its département,
so no event is lost to a COG update.
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from services.core.referentials.geo import GeoReferential, default_geo

ZONINGS_DIR = Path(__file__).parent.parent / "referentials"
COMMUNES_FILE = ZONINGS_DIR / "communes.csv"
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

    def __init__(self, geo: GeoReferential, zoning: Iterable[tuple[Bassin, str]],
                 communes: Mapping[str, tuple[str, str]] | None = None) -> None:
        """`communes`: code -> (département code, name), every commune the zoning may name (the
        shipped full list, `read_communes`); core's communes of `geo` when not given."""
        self._geo = geo
        self._communes = communes if communes is not None else communes_of(geo)
        self._bassin_of_commune: dict[str, Bassin] = {}
        for bassin, commune_code in zoning:
            commune = self._communes.get(commune_code.upper())
            if commune is None:
                raise ValueError(f"bassin {bassin.code}: {commune_code} is not a current commune")
            if commune[0] != bassin.departement_code:
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

    def commune_codes(self) -> Iterable[str]:
        return self._communes.keys()

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
        commune = self._communes.get(code.upper())
        return Territory(level, code.upper(), commune[1], (Level.DEPARTEMENT, commune[0])) if commune else None


def read_zoning(path: Path) -> list[tuple[Bassin, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return [(Bassin(row["bassin_code"], row["bassin_name"], row["departement_code"]), row["commune_code"])
                for row in rows]


def read_communes(path: Path = COMMUNES_FILE) -> dict[str, tuple[str, str]]:
    """An INSEE "v_commune" layout file (COM, DEP, LIBELLE columns) as code -> (département, name).

    Not core's `load_communes_csv`: its Commune objects weigh ~24 MB for 35,000 communes, these
    tuples ~8 MB (measured), and a process's idle memory is budgeted (issue 10: 150 MB)."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return {row["COM"]: (sys.intern(row["DEP"]), row["LIBELLE"]) for row in csv.DictReader(file)}


def communes_of(geo: GeoReferential) -> dict[str, tuple[str, str]]:
    return {commune.insee_code: (commune.departement_code, commune.name) for commune in geo.communes()}


@lru_cache(maxsize=1)
def shipped_territories() -> Territories:
    zoning = [entry for path in sorted(ZONINGS_DIR.glob("bassins_*.csv")) for entry in read_zoning(path)]
    return Territories(default_geo(), zoning, read_communes())
