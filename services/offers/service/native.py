"""The native deposit shape as a typed model: it documents the contract and refuses, field by field,
what the domain would otherwise ignore (an unknown field is a typo the sender wants to hear about).
CSV imports use the same shape flattened, one column per leaf field (adapters/csv_offers.py)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError

from services.core.codes import COG, COMMUNE_LENGTH, ROME_LENGTH, ROME_REFERENTIAL, checked_against
from services.offers.domain.normalise import IMPLAUSIBLE_HIGH_YEARLY_EUR, IMPLAUSIBLE_YEARLY_EUR, MAX_WEEKLY_HOURS
from services.core.http import Date, RequestBody, visible_text
from services.core.problems import pydantic_errors
from services.offers.domain.model import InvalidOffer

ContractType = Literal["CDI", "CDD", "MIS", "SAI", "ALT", "LIB"]


class OfferEmployerIn(RequestBody):
    siret: str | None = Field(None, max_length=20, pattern=r"^[0-9 ]*$",
                              description="14 digits (spaces allowed); an employer's own token fills it in.",
                              examples=["44781234800012"], json_schema_extra=checked_against("the SIRET check digit (Luhn)"))
    name: visible_text(200) = Field(examples=["Boulangerie Nantaise"])  # type: ignore[valid-type]


class OfferPlaceIn(RequestBody):
    commune_code: str = Field(max_length=COMMUNE_LENGTH, description="INSEE commune code (COG), not the postal code.",
                              examples=["44109"], json_schema_extra=checked_against(COG))


class OfferContractIn(RequestBody):
    type: ContractType | None = Field(None, description="CDI, CDD, MIS (intérim), SAI (saisonnier), ALT "
                                                        "(alternance), LIB (libéral/franchise).")
    duration_months: int | None = Field(None, ge=1, le=60, description="For fixed-term contracts.",
                                        json_schema_extra=checked_against("the contract type: a CDI or LIB has none"))


class OfferWorkingTimeIn(RequestBody):
    type: Literal["full_time", "part_time"] | None = None
    weekly_hours: float | None = Field(None, gt=0, le=MAX_WEEKLY_HOURS)


SALARY_PLAUSIBLE = (f"plausibility: min at most max, and a yearly amount (with the period and months) between "
                    f"{IMPLAUSIBLE_YEARLY_EUR:,} € and {IMPLAUSIBLE_HIGH_YEARLY_EUR:,} €")


class OfferSalaryIn(RequestBody):
    model_config = {"json_schema_extra": checked_against(SALARY_PLAUSIBLE)}

    min: float | None = Field(None, ge=0)
    max: float | None = Field(None, ge=0)
    period: Literal["hour", "month", "year"] | None = None
    months_per_year: float | None = Field(None, ge=12, le=16, description="12, or 13 with a 13th month, …")
    label: str | None = Field(None, max_length=200)


class NativeOffer(RequestBody):
    """One offer in the platform's own shape. A missing place or contract type is not refused: the
    legality check reports it as a blocking finding, with everything else, and quarantines the offer."""

    source_offer_id: visible_text(200) | None = Field(None,  # type: ignore[valid-type]
                                                      description="Your id for the offer: sending it again updates it. "
                                                    "Derived from the content when absent.")
    title: visible_text(200)  # type: ignore[valid-type]
    description: visible_text(30_000)  # type: ignore[valid-type]
    employer: OfferEmployerIn
    place: OfferPlaceIn | None = None
    rome_code: str | None = Field(None, max_length=ROME_LENGTH,
                                  description="ROME 4.0 code; inferred from the title when absent.", examples=["D1102"],
                                  json_schema_extra=checked_against(ROME_REFERENTIAL + "; without one, the title must name a job"))
    contract: OfferContractIn | None = None
    working_time: OfferWorkingTimeIn | None = None
    salary: OfferSalaryIn | None = None
    accessible_to_disabled: bool | None = None
    positions: int | None = Field(None, ge=1, le=10_000)
    starts_on: Date | None = None
    ends_on: Date | None = Field(None, description="Last day the offer is open; it expires the day after.")
    posted_on: Date | None = None
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")


def checked_native(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the domain reads it, once its fields and types are known to be right."""
    try:
        return NativeOffer.model_validate(document).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        raise InvalidOffer(pydantic_errors(list(exc.errors()))) from exc
