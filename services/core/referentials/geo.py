"""INSEE geography: commune -> département -> région, shared by every service.

The files under data/ are a subset shipped for the demo, not the whole of France:
- regions.csv: the 18 current régions with their INSEE codes (01-06 overseas, 11-94 mainland);
- departements.csv: all 101 départements (2A and 2B for Corsica, 971-976 overseas);
- communes.csv: the préfecture of every département, the 40 most populous communes, Saint-Nazaire,
  and the municipal arrondissements of Paris (75101-75120), Lyon (69381-69389) and Marseille
  (13201-13216).
Codes and names come from INSEE's Code officiel géographique (COG, Licence Ouverte), as packaged by
Etalab's "decoupage-administratif"; coordinates are town-centre points from GeoNames (CC BY 4.0)
rounded to four decimals.

A deployment that needs every commune gives `load_communes_csv` the official COG commune file
(INSEE's "v_commune" CSV, columns COM, DEP, REG, LIBELLE); the COG carries no coordinates, so
those communes have none. Whatever the data loaded, `departement_of_commune_code` and
`is_valid_commune_code` work from the structure of the code alone.
"""
from __future__ import annotations

import csv
import re
from math import asin, cos, radians, sin, sqrt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

DATA_DIR = Path(__file__).parent / "data"

# A commune code is its département's code followed by the commune's number within it:
# - mainland: 01-95 except 20 (Corsica has been 2A and 2B since 1976), then three digits;
# - overseas départements: 971-974 and 976, then two digits. 975 (Saint-Pierre-et-Miquelon) and
#   the 98x codes are overseas collectivities and 99xxx are foreign countries: none belongs to a
#   département, so they are not commune codes here.
# Commune numbers start at 1, so an all-zero number is refused.
_MAINLAND_CODE = re.compile(r"(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5])(?!000)[0-9]{3}")
_OVERSEAS_CODE = re.compile(r"(97[1-46])(?!00)[0-9]{2}")

# Only these kinds of row in the COG commune file are communes one can live in: current communes
# and the municipal arrondissements of Paris, Lyon and Marseille. Associated and delegated
# communes (COMA, COMD) are parts of a current commune, listed again under it, and may even share
# its code.
_COG_KINDS_KEPT = frozenset({"COM", "ARM"})


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    departement_code: str
    region_code: str
    latitude: float | None
    longitude: float | None


class GeoReferential:
    """Lookups by INSEE code. Codes are matched case-insensitively ("2a004" is Ajaccio)."""

    def __init__(
        self,
        regions: Iterable[Region],
        departements: Iterable[Departement],
        communes: Iterable[Commune],
    ) -> None:
        self._regions = {region.code: region for region in regions}
        self._departements = {departement.code: departement for departement in departements}
        self._communes = {commune.insee_code: commune for commune in communes}

    def commune(self, code: str) -> Commune | None:
        return self._communes.get(code.upper())

    def departement(self, code: str) -> Departement | None:
        return self._departements.get(code.upper())

    def region(self, code: str) -> Region | None:
        return self._regions.get(code)

    def regions(self) -> list[Region]:
        return list(self._regions.values())

    def departements(self) -> list[Departement]:
        return list(self._departements.values())

    def communes(self) -> list[Commune]:
        return list(self._communes.values())

    def departement_of_commune_code(self, code: str) -> str | None:
        """The département of any well-formed commune code, shipped or not, read from the code
        itself: "44109" -> "44", "2A004" -> "2A", "97411" -> "974"; None for a malformed code."""
        return _departement_part(code)

    def is_valid_commune_code(self, code: str) -> bool:
        """Syntax only: a well-formed code may still name no existing commune."""
        return _departement_part(code) is not None

    def distance_km(self, code_a: str, code_b: str) -> float | None:
        """Between the two communes' points; None when either has no known point."""
        a, b = self.commune(code_a), self.commune(code_b)
        if a is None or b is None or None in (a.latitude, a.longitude, b.latitude, b.longitude):
            return None
        return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)

    def communes_within(self, code: str, radius_km: float) -> list[str]:
        """The codes of the communes whose point lies within `radius_km` of this commune's, itself included."""
        found = [other.insee_code for other in self._communes.values()
                 if (distance := self.distance_km(code, other.insee_code)) is not None and distance <= radius_km]
        return found or [code]


EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km; within 0.5 % of the ellipsoid, plenty for a search radius."""
    phi1, phi2 = radians(lat1), radians(lat2)
    a = sin((phi2 - phi1) / 2) ** 2 + cos(phi1) * cos(phi2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


@lru_cache(maxsize=1)
def default_geo() -> GeoReferential:
    """The shipped subset, read once per process."""
    departements = _shipped_departements()
    region_of = {departement.code: departement.region_code for departement in departements}
    communes = [
        Commune(
            insee_code=row["insee_code"],
            name=row["name"],
            departement_code=row["departement_code"],
            region_code=region_of[row["departement_code"]],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
        )
        for row in _read_csv(DATA_DIR / "communes.csv")
    ]
    return GeoReferential(_shipped_regions(), departements, communes)


def load_communes_csv(path: str | Path) -> GeoReferential:
    """A referential holding every commune of an official COG commune file ("v_commune" CSV).

    Régions and départements come from the shipped files, which are complete. The région of a
    commune is its département's, so the file's REG column is not needed; its DEP column is empty
    on municipal arrondissement rows, whose département is then read from the code.
    """
    departements = {departement.code: departement for departement in _shipped_departements()}
    communes = []
    for row in _read_csv(Path(path)):
        if row.get("TYPECOM", "COM") not in _COG_KINDS_KEPT:
            continue
        departement = departements.get(row["DEP"] or _departement_part(row["COM"]) or "")
        if departement is None:
            raise ValueError(f"{path}: commune {row['COM']} belongs to no known département")
        communes.append(
            Commune(
                insee_code=row["COM"],
                name=row["LIBELLE"],
                departement_code=departement.code,
                region_code=departement.region_code,
                latitude=None,
                longitude=None,
            )
        )
    return GeoReferential(_shipped_regions(), departements.values(), communes)


def _departement_part(code: str) -> str | None:
    normalised = code.upper()
    match = _MAINLAND_CODE.fullmatch(normalised) or _OVERSEAS_CODE.fullmatch(normalised)
    return match.group(1) if match else None


def _shipped_regions() -> list[Region]:
    return [Region(row["code"], row["name"]) for row in _read_csv(DATA_DIR / "regions.csv")]


def _shipped_departements() -> list[Departement]:
    return [
        Departement(row["code"], row["name"], row["region_code"])
        for row in _read_csv(DATA_DIR / "departements.csv")
    ]


def _read_csv(path: Path) -> list[dict[str, str]]:
    # utf-8-sig: INSEE's downloads may start with a byte order mark.
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))
