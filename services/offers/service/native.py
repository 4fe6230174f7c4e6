"""The native deposit shape as a typed model: it documents the contract and refuses, field by field,
what the domain would otherwise ignore (an unknown field is a typo the sender wants to hear about).
CSV imports use the same shape flattened, one column per leaf field (adapters/csv_offers.py)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError

from services.core.codes import COMMUNE_LENGTH, ROME_LENGTH
from services.core.http import Date, RequestBody
from services.core.problems import pydantic_errors
from services.offers.domain.model import InvalidOffer

ContractType = Literal["CDI", "CDD", "MIS", "SAI", "ALT", "LIB"]


class OfferEmployerIn(RequestBody):
    siret: str | None = Field(None, max_length=20,
                              description="14 digits (spaces allowed); an employer's own token fills it in.",
                              examples=["44781234800012"])
    name: str = Field(min_length=1, max_length=200, examples=["Boulangerie Nantaise"])


class OfferPlaceIn(RequestBody):
    commune_code: str = Field(max_length=COMMUNE_LENGTH, description="INSEE commune code (COG), not the postal code.",
                              examples=["44109"])


class OfferContractIn(RequestBody):
    type: ContractType | None = Field(None, description="CDI, CDD, MIS (intérim), SAI (saisonnier), ALT "
                                                        "(alternance), LIB (libéral/franchise).")
    duration_months: int | None = Field(None, ge=1, le=120, description="For fixed-term contracts.")


class OfferWorkingTimeIn(RequestBody):
    type: Literal["full_time", "part_time"] | None = None
    weekly_hours: float | None = None


class OfferSalaryIn(RequestBody):
    min: float | None = None
    max: float | None = None
    period: Literal["hour", "month", "year"] | None = None
    months_per_year: float | None = Field(None, description="12, or 13 with a 13th month, …")
    label: str | None = Field(None, max_length=200)


class NativeOffer(RequestBody):
    """One offer in the platform's own shape. A missing place or contract type is not refused: the
    legality check reports it as a blocking finding, with everything else, and quarantines the offer."""

    source_offer_id: str | None = Field(None, max_length=200, description="Your id for the offer: sending it again updates it. "
                                                          "Derived from the content when absent.")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=30_000)
    employer: OfferEmployerIn
    place: OfferPlaceIn | None = None
    rome_code: str | None = Field(None, max_length=ROME_LENGTH,
                                  description="ROME 4.0 code; inferred from the title when absent.",
                                  examples=["D1102"])
    contract: OfferContractIn | None = None
    working_time: OfferWorkingTimeIn | None = None
    salary: OfferSalaryIn | None = None
    accessible_to_disabled: bool | None = None
    positions: int | None = Field(None, ge=1, le=10_000)
    starts_on: Date | None = None
    ends_on: Date | None = Field(None, description="Last day the offer is open; it expires the day after.")
    posted_on: Date | None = None
    url: str | None = Field(None, max_length=2000)


def checked_native(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the domain reads it, once its fields and types are known to be right."""
    try:
        return NativeOffer.model_validate(document).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        raise InvalidOffer(pydantic_errors(list(exc.errors()))) from exc
