"""Request and response bodies of the offers API (the published contract's schemas).

Names start with "Offer" where another service could use the same word: the gateway merges every
contract into one document. The native deposit shape lives in service/native.py (imports use it too).

A nullable response field defaults to None: FastAPI leaves nulls out of the published examples,
and a required field missing from its example would make the example contradict the schema.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from services.core.codes import (
    CommuneCode, DepartementCode, EntityId, ExistingCommuneCode, ExistingRomeCode, RomeCode, checked_against,
)
from services.core.http import RequestBody
from services.offers.domain.offer import OfferStatus

# The aggregate's statuses, published as a plain enum of strings (an Enum class would add a component).
Status = Literal[tuple(status.value for status in OfferStatus)]


class OfferEmployer(BaseModel):
    siret: str | None = None
    name: str


class OfferPlace(BaseModel):
    commune_code: str
    commune_name: str
    departement_code: str
    region_code: str


class OfferRome(BaseModel):
    code: str
    label: str
    confidence: float = Field(description="1.0 when the publisher gave the code; below when inferred from the text.")
    method: Literal["given", "inferred"]


class OfferSalary(BaseModel):
    min_yearly_eur: int | None = Field(None, description="Gross yearly euros, whatever period the publisher used.")
    max_yearly_eur: int | None = None
    label: str | None = None


class OfferSummary(BaseModel):
    id: str
    status: Status
    title: str
    employer: OfferEmployer
    place: OfferPlace | None = None
    rome: OfferRome
    contract_type: Literal["CDI", "CDD", "MIS", "SAI", "ALT", "LIB"] | None = None
    contract_duration_months: int | None = None
    working_time: Literal["full_time", "part_time"]
    weekly_hours: float | None = None
    salary: OfferSalary
    accessible_to_disabled: bool
    positions: int
    published_at: datetime | None = None
    ends_on: date | None = None
    distance_km: float | None = Field(None, description="From the searched commune, in a radius search.")


class OfferFinding(BaseModel):
    rule_id: str
    severity: Literal["blocking", "warning"]
    field: str
    excerpt: str = Field(description="The words at fault, as written.")
    explanation: str
    legal_basis: str


class OfferOut(OfferSummary):
    version: int = Field(description="Also the ETag: send it as If-Match to fill or withdraw the offer.")
    description: str
    starts_on: date | None = None
    url: str | None = None
    owner_org_id: str
    sources: int = Field(description="How many boards carry this offer (see /distribution).")
    findings: list[OfferFinding] = Field(description="The legality check: blocking findings quarantine the offer.")
    received_at: datetime
    updated_at: datetime
    closed_at: datetime | None = None


class OfferIngestOut(OfferOut):
    outcome: Literal["created", "updated", "merged", "unchanged"] = Field(description=(
        "created: a new offer; updated: your earlier copy (same source_offer_id) changed; merged: the same job "
        "was already published elsewhere, your copy became one more source of it; unchanged: nothing new."))


class FacetCount(BaseModel):
    value: str | None = None
    count: int
    label: str | None = Field(None, description="The ROME label, for ROME codes.")


class OfferFacets(BaseModel):
    contract_type: list[FacetCount]
    departement_code: list[FacetCount]
    rome_code: list[FacetCount]


class OfferPage(BaseModel):
    items: list[OfferSummary]
    next_cursor: str | None = None
    total: int = Field(description="Offers matching the search (all pages).")
    facets: OfferFacets | None = Field(None, description="Counts over every matching offer, not only this page.")


class OfferSource(BaseModel):
    source: str
    source_offer_id: str
    publisher_org_id: str
    url: str | None = None
    primary: bool = Field(description="The copy whose words the canonical offer shows.")
    similarity: float | None = Field(None, description="How close this copy is to the canonical offer (0-1).")
    received_at: datetime
    updated_at: datetime


class OfferDistribution(BaseModel):
    offer_id: str
    status: Status
    sources: list[OfferSource]


class OfferAttractiveness(BaseModel):
    offer_id: str
    rome_code: str
    departement_code: str
    peers: int = Field(description="Published offers of the same ROME code in the same département.")
    dimensions: dict[str, dict] = Field(description=(
        "Per dimension (salary, contract_duration_months, weekly_hours): the offer's value, its percentile rank "
        "among its peers (100: better paid / longer / more hours than all of them; a CDI is longer than any "
        "duration), how many peers had that dimension and their median."))


class WithdrawIn(RequestBody):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class FillIn(RequestBody):
    """Empty: the offer is filled now (the time to fill is measured from its publication)."""


class SavedCriteria(RequestBody):
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    rome_codes: list[ExistingRomeCode] = Field(default_factory=list, max_length=20)
    contract_types: list[Literal["CDI", "CDD", "MIS", "SAI", "ALT", "LIB"]] = Field(default_factory=list, max_length=6)
    departement_codes: list[DepartementCode] = Field(default_factory=list, max_length=20)
    commune_code: ExistingCommuneCode | None = None
    radius_km: float | None = Field(None, gt=0, le=200,
                                    json_schema_extra=checked_against("the criteria: a radius needs a commune_code"))
    min_salary_yearly: int | None = Field(None, ge=0, le=1_000_000)
    accessible_to_disabled: bool | None = None


class OfferSubscriptionIn(RequestBody):
    person_id: EntityId = Field(description="The registration id of the person the offers are for.")
    criteria: SavedCriteria


class OfferSubscriptionOut(BaseModel):
    id: str
    person_id: str
    org_id: str
    created_by: str
    criteria: dict
    created_at: datetime


class OfferSubscriptionPage(BaseModel):
    items: list[OfferSubscriptionOut]
    next_cursor: str | None = None


class OfferSavedByOut(BaseModel):
    """The organisation that saved the search: nothing about the counsellor beyond it."""

    org_id: str
    org_type: str


class OfferMyMatchOut(BaseModel):
    matched_at: datetime
    offer: OfferSummary


class OfferMySavedSearchOut(BaseModel):
    id: str
    criteria: dict
    saved_by: OfferSavedByOut
    created_at: datetime
    matches: list[OfferMyMatchOut] = Field(description="The offers sent to me under this search, newest first.")
    matches_total: int = Field(description="How many were sent: the newest 50 are listed.")


class OfferMySavedSearchList(BaseModel):
    items: list[OfferMySavedSearchOut]


class ImportLineError(BaseModel):
    line: int = Field(description="Line of the file where the record starts (the CSV header is line 1).")
    errors: list[dict[str, str]] = Field(description='[{"field", "message"}], as for a single deposit.')


class OfferImportOut(BaseModel):
    id: str
    status: Literal["queued", "running", "completed", "failed"]
    media_type: Literal["ndjson", "csv"]
    format: Literal["native", "job-posting", "ft-v2"]
    lines_total: int = Field(description="Records in the file (blank lines aside).")
    lines_done: int
    created: int
    updated: int
    merged: int
    quarantined: int
    unchanged: int
    rejected: int = Field(description="Records refused; see errors.")
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    errors: list[ImportLineError] = Field(description="Line errors, in line order, one page at a time.")
    next_errors_cursor: str | None = None
