"""Saved searches (Proposition #19): a registered person subscribes to the offers matching their
criteria and is told of each new one once. `matches` is the rule the service applies to every
newly published offer; it must agree with the search filters of `GET /v1/offers`:

- text: every term of the query is in the title or description (same folding as the index);
- lists (ROME codes, contract types, départements): the offer's value is one of them, an empty
  list accepts any;
- commune and radius: within `radius_km` of the commune's centre (the commune itself when no
  radius is given);
- minimum salary: the top of the offer's yearly range (or its only bound) reaches it; an offer
  without a salary does not match a search that asks for one;
- accessible_to_disabled: True keeps only offers open to disabled workers; None or False, any.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from services.core.referentials.geo import GeoReferential, default_geo
from services.offers.domain.geo import haversine_km
from services.offers.domain.model import CONTRACT_TYPES, OfferDraft
from services.offers.domain.rome import RomeReference
from services.offers.domain.text import terms

MAX_RADIUS_KM = 200.0
ANY_KEY = "any"


class InvalidSearch(ValueError):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class SavedSearch:
    text: str | None = None
    rome_codes: frozenset[str] = frozenset()
    contract_types: frozenset[str] = frozenset()
    departement_codes: frozenset[str] = frozenset()
    commune_code: str | None = None
    radius_km: float | None = None
    min_salary_yearly: int | None = None
    accessible_to_disabled: bool | None = None
    query_terms: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "query_terms", frozenset(terms(self.text or "")))

    @classmethod
    def checked(cls, data: Mapping[str, Any], geo: GeoReferential | None = None,
                rome: RomeReference | None = None) -> "SavedSearch":
        """Construction from API input; `InvalidSearch` lists every field at fault."""
        geo, rome = geo or default_geo(), rome or RomeReference.default()
        errors: list[dict[str, str]] = []
        search = cls.from_dict(data)
        unknown_rome = sorted(code for code in search.rome_codes if code not in rome)
        if unknown_rome:
            errors.append({"field": "rome_codes", "message": f"unknown ROME codes {', '.join(unknown_rome)}"})
        if not search.contract_types <= set(CONTRACT_TYPES):
            errors.append({"field": "contract_types", "message": f"each must be one of {', '.join(CONTRACT_TYPES)}"})
        if search.commune_code is not None and geo.commune(search.commune_code) is None:
            errors.append({"field": "commune_code", "message": f"unknown INSEE commune code {search.commune_code}"})
        radius = search.radius_km
        if radius is not None and (search.commune_code is None or not 0 < radius <= MAX_RADIUS_KM):
            errors.append({"field": "radius_km",
                           "message": f"needs a commune_code and must be above 0 and at most {MAX_RADIUS_KM:g}"})
        unknown = sorted(d for d in search.departement_codes if geo.departement(d) is None)
        if unknown:
            errors.append({"field": "departement_codes", "message": f"unknown département codes {', '.join(unknown)}"})
        if errors:
            raise InvalidSearch(errors)
        return search

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SavedSearch":
        """Construction from stored criteria, as `to_dict` wrote them (or as API input before `checked`)."""
        return cls(
            text=data.get("text") or None,
            rome_codes=frozenset(code.upper() for code in data.get("rome_codes") or ()),
            contract_types=frozenset(data.get("contract_types") or ()),
            departement_codes=frozenset(d.upper() for d in data.get("departement_codes") or ()),
            commune_code=data.get("commune_code"),
            radius_km=data.get("radius_km"),
            min_salary_yearly=data.get("min_salary_yearly"),
            accessible_to_disabled=data.get("accessible_to_disabled"),
        )

    def candidate_keys(self) -> list[str]:
        """Keys an offer must share with this search to be compared with it (a necessary condition):
        one of its ROME codes, else one of its départements, else none at all."""
        if self.rome_codes:
            return sorted(f"rome:{code}" for code in self.rome_codes)
        if self.departement_codes and self.radius_km is None:
            return sorted(f"dep:{code}" for code in self.departement_codes)
        return [ANY_KEY]

    @staticmethod
    def keys_for(rome_code: str, departement_code: str | None) -> list[str]:
        """The candidate keys under which the searches an offer of this ROME and département may
        match are filed."""
        keys = [ANY_KEY, f"rome:{rome_code}"]
        return keys + [f"dep:{departement_code}"] if departement_code else keys

    def to_dict(self) -> dict[str, Any]:
        """The criteria set, normalised (codes upper-case, lists sorted without repeats); unset ones left out."""
        data = {
            "text": self.text, "rome_codes": sorted(self.rome_codes), "contract_types": sorted(self.contract_types),
            "departement_codes": sorted(self.departement_codes), "commune_code": self.commune_code,
            "radius_km": self.radius_km, "min_salary_yearly": self.min_salary_yearly,
            "accessible_to_disabled": self.accessible_to_disabled,
        }
        return {name: value for name, value in data.items() if value not in (None, [])}


def matches(search: SavedSearch, draft: OfferDraft, geo: GeoReferential | None = None) -> bool:
    # Cheapest criteria first: most offers fail on a code long before the text is read.
    if search.rome_codes and draft.rome.code not in search.rome_codes:
        return False
    if search.contract_types and draft.contract_type not in search.contract_types:
        return False
    if search.departement_codes and (draft.place is None or draft.place.departement_code not in search.departement_codes):
        return False
    if search.accessible_to_disabled and not draft.accessible_to_disabled:
        return False
    if search.min_salary_yearly is not None:
        top = draft.salary.max_yearly_eur if draft.salary.max_yearly_eur is not None else draft.salary.min_yearly_eur
        if top is None or top < search.min_salary_yearly:
            return False
    if search.commune_code is not None:
        if draft.place is None:
            return False
        if search.radius_km is None:
            if draft.place.commune_code != search.commune_code:
                return False
        else:
            centre = (geo or default_geo()).commune(search.commune_code)
            if centre is None or centre.latitude is None or centre.longitude is None:
                return False
            distance = haversine_km(centre.latitude, centre.longitude, draft.place.latitude, draft.place.longitude)
            if distance > search.radius_km:
                return False
    if search.query_terms:
        offer_terms = set(terms(draft.title)) | set(terms(draft.description))
        if not search.query_terms <= offer_terms:
            return False
    return True
