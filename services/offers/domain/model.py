"""A job offer once normalised: the shape every later step works on (legality check,
deduplication, search, distribution), whatever board or employer it came from.

Plain frozen dataclasses: the service maps them to its tables and events, the domain never
sees a database. Codes are kept as official (INSEE commune, ROME, SIRET); contract types are
France Travail's codes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal, Mapping

from services.core.errors import RuleBroken

ContractType = Literal["CDI", "CDD", "MIS", "SAI", "ALT", "LIB"]
WorkingTime = Literal["full_time", "part_time"]
Severity = Literal["blocking", "warning"]

# CDI permanent, CDD fixed-term, MIS temporary agency work (mission d'intérim), SAI seasonal,
# ALT work-study (apprentissage or professionnalisation), LIB freelance or franchise.
CONTRACT_TYPES: tuple[str, ...] = ("CDI", "CDD", "MIS", "SAI", "ALT", "LIB")
WORKING_TIMES: tuple[str, ...] = ("full_time", "part_time")
# The name shown for offers whose employer chose not to be named (France Travail allows it).
ANONYMOUS_EMPLOYER = "Employeur anonyme"


@dataclass(frozen=True)
class Place:
    commune_code: str  # INSEE (COG), not the postal code
    commune_name: str
    departement_code: str
    region_code: str
    # The commune's centre. A referential loaded from INSEE's COG file has no coordinates: the
    # centre of the département's préfecture stands in (see places.py), so radii stay usable.
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Employer:
    siret: str | None  # 14 digits, checked; None when the source did not give it
    name: str


@dataclass(frozen=True)
class RomeAssignment:
    code: str
    label: str
    confidence: float  # 1.0 when the source gave the code
    method: Literal["given", "inferred"]


@dataclass(frozen=True)
class Salary:
    """Yearly gross range in euros, whatever period the source used; `label` keeps its words."""

    min_yearly_eur: int | None
    max_yearly_eur: int | None
    label: str | None

    @property
    def mid_yearly_eur(self) -> float | None:
        """The middle of the range, or its only bound: what comparisons between offers use."""
        bounds = [b for b in (self.min_yearly_eur, self.max_yearly_eur) if b is not None]
        return sum(bounds) / len(bounds) if bounds else None


NO_SALARY = Salary(None, None, None)


@dataclass(frozen=True)
class Finding:
    """One reason from the legality check, worded for the employer and the counsellor."""

    rule_id: str
    severity: Severity
    field: str  # "title", "description", "place", "contract.type"
    excerpt: str  # the offending words in their context, as written
    explanation: str  # in French
    legal_basis: str  # e.g. "Code du travail, art. L1132-1"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class OfferDraft:
    """An offer as one source published it, normalised. Not yet checked nor deduplicated.

    `place` and `contract_type` may be missing: the legality check turns that into a blocking
    finding, so the employer sees it with every other finding instead of a bare refusal.
    `ends_on` is the last day the offer is open (it expires after); `starts_on` the job's start.
    """

    source: str
    source_offer_id: str
    title: str
    description: str
    employer: Employer
    place: Place | None
    rome: RomeAssignment
    contract_type: ContractType | None
    contract_duration_months: int | None
    working_time: WorkingTime
    weekly_hours: float | None
    salary: Salary
    accessible_to_disabled: bool
    positions: int
    starts_on: date | None
    ends_on: date | None
    url: str | None
    posted_on: date | None = None  # publication date at the source, when it says

    def to_dict(self) -> dict[str, Any]:
        # By hand rather than dataclasses.asdict, whose deep copy was a tenth of the ingest's time:
        # the parts hold plain values only, so shallow copies of their fields are enough.
        data = dict(vars(self))
        for key in ("employer", "place", "rome", "salary"):
            part = data[key]
            data[key] = dict(vars(part)) if part is not None else None
        for key in ("starts_on", "ends_on", "posted_on"):
            value = data[key]
            data[key] = value.isoformat() if value is not None else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "OfferDraft":
        """The inverse of `to_dict`, for drafts read back from storage (no validation)."""
        place = data.get("place")
        return cls(
            source=data["source"],
            source_offer_id=data["source_offer_id"],
            title=data["title"],
            description=data["description"],
            employer=Employer(**data["employer"]),
            place=Place(**place) if place else None,
            rome=RomeAssignment(**data["rome"]),
            contract_type=data.get("contract_type"),
            contract_duration_months=data.get("contract_duration_months"),
            working_time=data["working_time"],
            weekly_hours=data.get("weekly_hours"),
            salary=Salary(**data["salary"]),
            accessible_to_disabled=bool(data.get("accessible_to_disabled")),
            positions=data.get("positions", 1),
            starts_on=_date(data.get("starts_on")),
            ends_on=_date(data.get("ends_on")),
            url=data.get("url"),
            posted_on=_date(data.get("posted_on")),
        )


class InvalidOffer(RuleBroken):
    """The offer cannot be normalised. `errors` lists every problem found, not only the first:
    [{"field": "place.commune_code", "message": "unknown INSEE commune code 99999"}, ...],
    field paths in the native deposit shape (see normalise.py)."""

    slug = "invalid-offer"

    def __init__(self, errors: list[dict[str, str]]) -> None:
        fields = ", ".join(sorted({e["field"] or "body" for e in errors}))
        super().__init__(f"The offer is not valid: {fields}.", errors=errors)

    def __str__(self) -> str:  # every problem in words, where the detail only names the fields
        return "; ".join(f"{e['field']}: {e['message']}" for e in self.errors)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
