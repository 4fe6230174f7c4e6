"""The native deposit shape as a typed model: it documents the contract and refuses, field by field,
what the domain would otherwise ignore (an unknown field is a typo the sender wants to hear about).
CSV imports use the same shape flattened, one column per leaf field."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError

from services.core.http import Date, RequestBody
from services.core.problems import pydantic_errors

ContractType = Literal["CDI", "CDD", "MIS", "SAI", "ALT", "LIB"]


class OfferEmployerIn(RequestBody):
    siret: str | None = Field(None, description="14 digits (spaces allowed); an employer's own token fills it in.",
                              examples=["44781234800012"])
    name: str = Field(min_length=1, max_length=200, examples=["Boulangerie Nantaise"])


class OfferPlaceIn(RequestBody):
    commune_code: str = Field(description="INSEE commune code (COG), not the postal code.", examples=["44109"])


class OfferContractIn(RequestBody):
    type: ContractType | None = Field(None, description="CDI, CDD, MIS (intérim), SAI (saisonnier), ALT "
                                                        "(alternance), LIB (libéral/franchise).")
    duration_months: int | None = Field(None, description="For fixed-term contracts.")


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

    source_offer_id: str | None = Field(None, description="Your id for the offer: sending it again updates it. "
                                                          "Derived from the content when absent.")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=30_000)
    employer: OfferEmployerIn
    place: OfferPlaceIn | None = None
    rome_code: str | None = Field(None, description="ROME 4.0 code; inferred from the title when absent.",
                                  examples=["D1102"])
    contract: OfferContractIn | None = None
    working_time: OfferWorkingTimeIn | None = None
    salary: OfferSalaryIn | None = None
    accessible_to_disabled: bool | None = None
    positions: int | None = None
    starts_on: Date | None = None
    ends_on: Date | None = Field(None, description="Last day the offer is open; it expires the day after.")
    posted_on: Date | None = None
    url: str | None = Field(None, max_length=2000)


class NotNative(ValueError):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def checked_native(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the domain reads it, once its fields and types are known to be right."""
    try:
        return NativeOffer.model_validate(document).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        raise NotNative(pydantic_errors(list(exc.errors()))) from exc


# -- CSV ------------------------------------------------------------------------------------------
CSV_COLUMNS = {
    "source_offer_id": ("source_offer_id",), "title": ("title",), "description": ("description",),
    "employer_siret": ("employer", "siret"), "employer_name": ("employer", "name"),
    "commune_code": ("place", "commune_code"), "rome_code": ("rome_code",),
    "contract_type": ("contract", "type"), "contract_duration_months": ("contract", "duration_months"),
    "working_time": ("working_time", "type"), "weekly_hours": ("working_time", "weekly_hours"),
    "salary_min": ("salary", "min"), "salary_max": ("salary", "max"), "salary_period": ("salary", "period"),
    "salary_months_per_year": ("salary", "months_per_year"), "salary_label": ("salary", "label"),
    "accessible_to_disabled": ("accessible_to_disabled",), "positions": ("positions",),
    "starts_on": ("starts_on",), "ends_on": ("ends_on",), "posted_on": ("posted_on",), "url": ("url",),
}
CSV_REQUIRED = ("title", "description", "employer_name")
_INTEGERS = {"contract_duration_months", "positions"}
_NUMBERS = {"weekly_hours", "salary_min", "salary_max", "salary_months_per_year"}
_BOOLEANS = {"accessible_to_disabled"}
_TRUE, _FALSE = {"true", "1", "oui", "yes"}, {"false", "0", "non", "no"}


def csv_header_errors(header: list[str]) -> list[str]:
    """What is wrong with a CSV header, in words; empty when it can be read."""
    problems = [f"unknown column {name!r}" for name in header if name not in CSV_COLUMNS]
    problems += [f"missing column {name!r}" for name in CSV_REQUIRED if name not in header]
    return problems


def native_from_csv(row: dict[str, str]) -> dict[str, Any]:
    """A CSV record as a native document: empty cells are absent, numbers and booleans typed."""
    document: dict[str, Any] = {}
    errors = []
    for column, raw in row.items():
        value = (raw or "").strip()
        if not value or column not in CSV_COLUMNS:
            continue
        try:
            typed = _typed(column, value)
        except ValueError as exc:
            errors.append({"field": column, "message": str(exc)})
            continue
        *parents, leaf = CSV_COLUMNS[column]
        target = document
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = typed
    if errors:
        raise NotNative(errors)
    return document


def _typed(column: str, value: str) -> Any:
    if column in _INTEGERS:
        if not value.lstrip("-").isdigit():
            raise ValueError(f"must be a whole number, not {value!r}")
        return int(value)
    if column in _NUMBERS:
        try:
            return float(value.replace(",", "."))
        except ValueError:
            raise ValueError(f"must be a number, not {value!r}") from None
    if column in _BOOLEANS:
        if value.lower() not in _TRUE | _FALSE:
            raise ValueError(f"must be true or false, not {value!r}")
        return value.lower() in _TRUE
    return value
