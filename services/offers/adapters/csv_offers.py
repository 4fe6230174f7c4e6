"""A CSV import's records as native offers: the native deposit shape (service/native.py) flattened,
one column per leaf field."""
from __future__ import annotations

from typing import Any

from services.offers.domain.model import InvalidOffer

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
        raise InvalidOffer(errors)
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
