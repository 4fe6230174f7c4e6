"""From the platform's native deposit shape to an OfferDraft.

The native shape (what `POST /v1/offers`, bulk imports and the feed mappers all produce):

    {"source_offer_id"?: str, "title": str, "description": str,
     "employer": {"siret"?: str, "name": str},
     "place"?: {"commune_code": str},                      # INSEE code, not the postal code
     "rome_code"?: str,
     "contract"?: {"type"?: "CDI|CDD|MIS|SAI|ALT|LIB", "duration_months"?: int},
     "working_time"?: {"type"?: "full_time|part_time", "weekly_hours"?: number},
     "salary"?: {"min"?: number, "max"?: number, "period"?: "hour|month|year",
                 "months_per_year"?: number, "label"?: str},
     "accessible_to_disabled"?: bool, "positions"?: int,
     "starts_on"?: "YYYY-MM-DD", "ends_on"?: "YYYY-MM-DD", "posted_on"?: "YYYY-MM-DD", "url"?: str}

Every problem is collected before `InvalidOffer` is raised, so a sender fixes them in one go. A
missing place or contract type is not one of them: those reach the legality check, which reports
them as blocking findings together with everything else wrong with the offer. Fields not listed
are ignored.
"""
from __future__ import annotations

import hashlib
import math
from datetime import date
from typing import Any, Mapping

from services.core.referentials.geo import GeoReferential
from services.offers.domain import siret as siret_rules
from services.offers.domain.model import (
    CONTRACT_TYPES, WORKING_TIMES, Employer, InvalidOffer, OfferDraft, Place, RomeAssignment, Salary,
)
from services.offers.domain.places import place_of
from services.offers.domain.rome import CODE as ROME_CODE, RomeReference
from services.offers.domain.text import fold

HOURS_PER_MONTH = 151.67  # legal full-time month: 35 h x 52 weeks / 12
FULL_TIME_WEEKLY_HOURS = 35.0
MAX_WEEKLY_HOURS = 48.0  # absolute weekly maximum (Code du travail, art. L3121-20)
PERIODS = ("hour", "month", "year")
TITLE_MAX = 200
DESCRIPTION_MAX = 30_000
# Below this a yearly figure is surely a monthly or hourly one sent with the wrong period.
IMPLAUSIBLE_YEARLY_EUR = 3_000
IMPLAUSIBLE_HIGH_YEARLY_EUR = 1_000_000


class _Errors(list):
    def add(self, field: str, message: str) -> None:
        self.append({"field": field, "message": message})


def normalise(raw: Mapping, *, source: str, geo: GeoReferential | None = None,
              rome: RomeReference | None = None) -> OfferDraft:
    """The draft for `raw`, or `InvalidOffer` listing every field at fault."""
    if not isinstance(raw, Mapping):
        raise InvalidOffer([{"field": "", "message": "an offer must be a JSON object"}])
    rome = rome or RomeReference.default()
    errors = _Errors()

    title = _text(raw, "title", TITLE_MAX, errors)
    description = _text(raw, "description", DESCRIPTION_MAX, errors)
    employer = _employer(raw.get("employer"), errors)
    place = _place(raw.get("place"), geo, errors)
    assignment = _rome(raw.get("rome_code"), title, description, rome, errors)
    contract_type, duration = _contract(raw.get("contract"), errors)
    working_time, weekly_hours = _working_time(raw.get("working_time"), errors)
    salary = _salary(raw.get("salary"), errors)
    accessible = raw.get("accessible_to_disabled", False)
    if not isinstance(accessible, bool):
        errors.add("accessible_to_disabled", "must be true or false")
    positions = raw.get("positions", 1)
    if not _is_int(positions) or not 1 <= positions <= 10_000:
        errors.add("positions", "must be a whole number of positions between 1 and 10000")
    starts_on = _date(raw, "starts_on", errors)
    ends_on = _date(raw, "ends_on", errors)
    posted_on = _date(raw, "posted_on", errors)
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("https://", "http://"))):
        errors.add("url", "must be an http(s) address")
    source_offer_id = raw.get("source_offer_id")
    if source_offer_id is not None and (not isinstance(source_offer_id, str) or not source_offer_id.strip()
                                        or len(source_offer_id) > 200):
        errors.add("source_offer_id", "must be a non-empty text of at most 200 characters")

    if errors:
        raise InvalidOffer(list(errors))
    assert employer is not None and assignment is not None  # no error means both were built
    return OfferDraft(
        source=source,
        source_offer_id=source_offer_id.strip() if source_offer_id else content_id(
            employer, title, place, contract_type, description),
        title=title,
        description=description,
        employer=employer,
        place=place,
        rome=assignment,
        contract_type=contract_type,
        contract_duration_months=duration,
        working_time=working_time,
        weekly_hours=weekly_hours,
        salary=salary,
        accessible_to_disabled=accessible,
        positions=positions,
        starts_on=starts_on,
        ends_on=ends_on,
        url=url,
        posted_on=posted_on,
    )


def content_id(employer: Employer, title: str, place: Place | None, contract_type: str | None,
               description: str) -> str:
    """A stable id for an offer sent without one: the same content sent again gets the same id,
    so it updates the offer instead of creating a second one. Folding makes it indifferent to
    case, accents and spacing; an edited text is another offer (deduplication then links them)."""
    parts = (employer.siret or fold(employer.name), fold(title), place.commune_code if place else "",
             contract_type or "", " ".join(fold(description).split()))
    return "h-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def yearly_eur(amount: float, period: str, months_per_year: float = 12.0) -> int:
    """Gross yearly euros. Hourly rates count a full-time year (151.67 h x 12) so that offers
    compare on the same footing whatever their hours; monthly pay counts its months (13th month)."""
    if period == "hour":
        return round(amount * HOURS_PER_MONTH * 12)
    if period == "month":
        return round(amount * months_per_year)
    return round(amount)


def _text(raw: Mapping, field: str, limit: int, errors: _Errors) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        errors.add(field, "is required and must be a non-empty text")
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.add(field, f"is {len(value)} characters long, the limit is {limit}")
    return value


def _employer(value: Any, errors: _Errors) -> Employer | None:
    if not isinstance(value, Mapping):
        errors.add("employer", "is required: an object with the employer's name and SIRET")
        return None
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.add("employer.name", "is required")
        name = ""
    siret = value.get("siret")
    if siret is not None:
        if not isinstance(siret, str):
            errors.add("employer.siret", "must be a text of 14 digits")
            siret = None
        else:
            siret = siret_rules.compact(siret) or None
            if siret is not None and not siret_rules.is_valid(siret):
                errors.add("employer.siret", f"{siret} is not a valid SIRET (14 digits with a valid check digit)")
    return Employer(siret=siret, name=" ".join(name.split()))


def _place(value: Any, geo: GeoReferential | None, errors: _Errors) -> Place | None:
    if value is None or value == {}:
        return None  # missing place: a blocking finding of the legality check, not an error here
    if not isinstance(value, Mapping):
        errors.add("place", "must be an object with an INSEE commune_code")
        return None
    code = value.get("commune_code")
    if code is None or code == "":
        return None
    if not isinstance(code, str):
        errors.add("place.commune_code", "must be a text (INSEE code, e.g. \"44109\")")
        return None
    place = place_of(code, geo)
    if place is None:
        errors.add("place.commune_code", f"unknown INSEE commune code {code}")
    return place


def _rome(code: Any, title: str, description: str, rome: RomeReference,
          errors: _Errors) -> RomeAssignment | None:
    if code is not None and code != "":
        if not isinstance(code, str) or not ROME_CODE.fullmatch(code.strip().upper()):
            errors.add("rome_code", "must be a ROME code: a letter A-N and four digits, e.g. \"M1805\"")
            return None
        assignment = rome.given(code)
        if assignment is None:
            errors.add("rome_code", f"unknown ROME code {code.strip().upper()}")
        return assignment
    if not title:
        return None  # the title error is already reported
    assignment = rome.assign(title, description)
    if assignment is None:
        errors.add("rome_code", "no ROME code given and none could be inferred from the title: give rome_code")
    return assignment


def _contract(value: Any, errors: _Errors) -> tuple[str | None, int | None]:
    if value is None:
        return None, None  # missing contract type: a blocking finding, not an error here
    if not isinstance(value, Mapping):
        errors.add("contract", "must be an object with a type")
        return None, None
    kind = value.get("type")
    if kind is not None and kind not in CONTRACT_TYPES:
        errors.add("contract.type", f"must be one of {', '.join(CONTRACT_TYPES)}")
        kind = None
    duration = value.get("duration_months")
    if duration is not None:
        if not _is_int(duration) or not 1 <= duration <= 60:
            errors.add("contract.duration_months", "must be a whole number of months between 1 and 60")
            duration = None
        elif kind in ("CDI", "LIB"):
            errors.add("contract.duration_months", f"a {kind} has no duration")
            duration = None
    return kind, duration


def _working_time(value: Any, errors: _Errors) -> tuple[str, float | None]:
    if value is None:
        return "full_time", FULL_TIME_WEEKLY_HOURS
    if not isinstance(value, Mapping):
        errors.add("working_time", "must be an object with a type and weekly_hours")
        return "full_time", FULL_TIME_WEEKLY_HOURS
    hours = value.get("weekly_hours")
    if hours is not None and (not _is_number(hours) or not 0 < hours <= MAX_WEEKLY_HOURS):
        errors.add("working_time.weekly_hours", f"must be a number of hours above 0 and at most {MAX_WEEKLY_HOURS:g}")
        hours = None
    kind = value.get("type")
    if kind is None:
        # Below the legal 35 hours a job is part-time (Code du travail, art. L3123-1).
        kind = "part_time" if hours is not None and hours < FULL_TIME_WEEKLY_HOURS else "full_time"
    elif kind not in WORKING_TIMES:
        errors.add("working_time.type", f"must be one of {', '.join(WORKING_TIMES)}")
        kind = "full_time"
    if hours is None and kind == "full_time":
        hours = FULL_TIME_WEEKLY_HOURS
    return kind, float(hours) if hours is not None else None


def _salary(value: Any, errors: _Errors) -> Salary:
    if value is None:
        return Salary(None, None, None)
    if not isinstance(value, Mapping):
        errors.add("salary", "must be an object with min and/or max and a period")
        return Salary(None, None, None)
    label = value.get("label")
    if label is not None and not isinstance(label, str):
        errors.add("salary.label", "must be a text")
        label = None
    bounds: dict[str, float | None] = {}
    for key in ("min", "max"):
        amount = value.get(key)
        if amount is not None and (not _is_number(amount) or amount < 0 or not math.isfinite(amount)):
            errors.add(f"salary.{key}", "must be a positive number of euros")
            amount = None
        bounds[key] = amount
    if bounds["min"] is None and bounds["max"] is None:
        return Salary(None, None, label.strip() if label else None)  # words only ("selon profil")
    period = value.get("period")
    if period not in PERIODS:
        errors.add("salary.period", f"must be one of {', '.join(PERIODS)}")
        return Salary(None, None, label)
    months = value.get("months_per_year", 12)
    if not _is_number(months) or not 12 <= months <= 16:
        errors.add("salary.months_per_year", "must be between 12 and 16 (12 months plus bonus months)")
        months = 12
    low = yearly_eur(bounds["min"], period, months) if bounds["min"] is not None else None
    high = yearly_eur(bounds["max"], period, months) if bounds["max"] is not None else None
    if low is not None and high is not None and low > high:
        errors.add("salary.min", f"the minimum ({bounds['min']:g}) is above the maximum ({bounds['max']:g})")
    for key, yearly in (("min", low), ("max", high)):
        if yearly is not None and yearly and yearly < IMPLAUSIBLE_YEARLY_EUR:
            errors.add(f"salary.{key}", f"{bounds[key]:g} € per {period} makes {yearly} € a year: check the period")
        elif yearly is not None and yearly > IMPLAUSIBLE_HIGH_YEARLY_EUR:
            errors.add(f"salary.{key}", f"{bounds[key]:g} € per {period} makes {yearly} € a year: check the amount")
    return Salary(low, high, label.strip() if label else None)


def _date(raw: Mapping, field: str, errors: _Errors) -> date | None:
    value = raw.get(field)
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.add(field, "must be a date YYYY-MM-DD")
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
