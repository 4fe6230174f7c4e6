"""Where an offer is: INSEE commune code -> Place, and the codes feeds give instead of one.

The geography is the platform's shared referential (services/core/referentials/geo.py), read
here, never copied. Feeds often give a postal code and a town name rather than an INSEE code;
the referential has no postal codes, so a postal code is read for what it says reliably — its
département (and the arrondissement in Paris, Lyon and Marseille) — and the town name picks the
commune within it.
"""
from __future__ import annotations

import re
from weakref import WeakKeyDictionary

from services.core.referentials.geo import Commune, GeoReferential, default_geo
from services.offers.domain.geo import haversine_km
from services.offers.domain.model import Place
from services.offers.domain.text import fold

_POSTAL_CODE = re.compile(r"[0-9]{5}")
# Paris 75001-75020 (and 75116), Lyon 69001-69009, Marseille 13001-13016 name their
# arrondissement; the INSEE codes are 75101-75120, 69381-69389, 13201-13216.
_ARRONDISSEMENTS = {"75": ("751", range(1, 21)), "69": ("6938", range(1, 10)), "13": ("132", range(1, 17))}
_ARRONDISSEMENT_TOWNS = {"75": "paris", "69": "lyon", "13": "marseille"}
_NAME_NOISE = re.compile(r"\b(cedex|cedex [0-9]+|[0-9]+(er|e|eme)? arrondissement)\b|[0-9]+")


def place_of(commune_code: str, geo: GeoReferential | None = None) -> Place | None:
    """The Place of a commune, or None when the referential does not know the code."""
    geo = geo or default_geo()
    commune = geo.commune(commune_code.strip())
    if commune is None:
        return None
    latitude, longitude = _coordinates(commune, geo)
    return Place(commune.insee_code, commune.name, commune.departement_code, commune.region_code,
                 latitude, longitude)


def commune_code_from_address(postal_code: str | None, locality: str | None,
                              geo: GeoReferential | None = None) -> str | None:
    """The INSEE code of "44000 Nantes", "75011 Paris", "13001 Marseille"; None if unsure."""
    geo = geo or default_geo()
    postal = (postal_code or "").strip()
    departement = _departement_of_postal_code(postal) if _POSTAL_CODE.fullmatch(postal) else None
    name = _name_key(locality or "")
    if departement in _ARRONDISSEMENTS and (not name or name == _ARRONDISSEMENT_TOWNS[departement]):
        prefix, numbers = _ARRONDISSEMENTS[departement]
        number = 16 if postal == "75116" else int(postal[-2:])
        if number in numbers:
            code = f"{prefix}{number:0{5 - len(prefix)}d}"
            if geo.commune(code):
                return code
    if not name:
        return None
    candidates = [c for c in _communes_named(name, geo)
                  if departement is None or c.departement_code in departement_candidates(departement)]
    return candidates[0].insee_code if len(candidates) == 1 else None


def departement_candidates(departement: str) -> tuple[str, ...]:
    return ("2A", "2B") if departement == "20" else (departement,)


def _departement_of_postal_code(postal: str) -> str:
    if postal.startswith("97"):
        return postal[:3]
    if postal.startswith("20"):  # Corsica: 200xx-201xx South, 202xx-206xx Upper Corsica
        return "2A" if postal[2] in "01" else "2B"
    return postal[:2]


def _name_key(name: str) -> str:
    padded = f" {_NAME_NOISE.sub(' ', fold(name))} "
    return " ".join(padded.replace(" st ", " saint ").replace(" ste ", " sainte ").split())


_BY_NAME: WeakKeyDictionary[GeoReferential, dict[str, list[Commune]]] = WeakKeyDictionary()


def _communes_named(name: str, geo: GeoReferential) -> list[Commune]:
    index = _BY_NAME.get(geo)
    if index is None:
        index = {}
        for commune in geo.communes():
            index.setdefault(_name_key(commune.name), []).append(commune)
        _BY_NAME[geo] = index
    return index.get(name, [])


def _coordinates(commune: Commune, geo: GeoReferential) -> tuple[float, float]:
    if commune.latitude is not None and commune.longitude is not None:
        return commune.latitude, commune.longitude
    # A referential loaded from the official COG file has no coordinates. Distances then use the
    # shipped point of the same commune if any, else of its département's préfecture (first
    # shipped commune of the département): coarse, but radius searches still mostly work.
    shipped = default_geo()
    known = shipped.commune(commune.insee_code) or next(
        (c for c in shipped.communes() if c.departement_code == commune.departement_code), None)
    if known is None or known.latitude is None or known.longitude is None:
        return 0.0, 0.0  # unreachable with the shipped files: every département has a commune
    return known.latitude, known.longitude


_POINTS: WeakKeyDictionary[GeoReferential, list[tuple[str, float, float]]] = WeakKeyDictionary()


def communes_within(latitude: float, longitude: float, radius_km: float,
                    geo: GeoReferential | None = None) -> list[tuple[float, str]]:
    """(distance in km, INSEE code) of the communes whose point is within the radius, nearest first.
    An offer is placed at its commune's point, so these are exactly the communes of the offers
    within the radius."""
    geo = geo or default_geo()
    points = _POINTS.get(geo)
    if points is None:
        points = [(commune.insee_code, *_coordinates(commune, geo)) for commune in geo.communes()]
        _POINTS[geo] = points
    found = ((haversine_km(latitude, longitude, lat, lon), code) for code, lat, lon in points)
    return sorted(item for item in found if item[0] <= radius_km)
