"""Partner feeds in the formats job boards really publish, mapped to the native deposit shape.

- schema.org `JobPosting` in JSON-LD, as boards publish it for search engines;
- the JSON of France Travail's "Offres d'emploi v2" API.

Both mappers only translate: they return the native shape (see normalise.py) and leave every
check to `normalise`, so a feed offer and a deposited one are judged alike. They raise
`InvalidOffer` only for documents that cannot be read as an offer at all (another schema.org
type, an internship, a place that names no known commune); field paths are then those of the
feed document.
"""
from __future__ import annotations

import math
import re
from datetime import date
from typing import Any, Mapping

from services.offers.domain.model import ANONYMOUS_EMPLOYER, InvalidOffer
from services.offers.domain.places import commune_code_from_address
from services.offers.domain.rome import CODE as ROME_CODE
from services.offers.domain.siret import compact as compact_siret
from services.offers.domain.text import fold, fold_accents, html_to_text

# schema.org employmentType -> working time; the contract type comes from other words.
_WORKING_TIME = {"FULL_TIME": "full_time", "PART_TIME": "part_time"}
_CONTRACT_BY_EMPLOYMENT = {"CONTRACTOR": "LIB", "TEMPORARY": "CDD", "SEASONAL": "SAI"}
_NOT_JOBS = {"INTERN": "an internship (stage) is not a job offer", "VOLUNTEER": "volunteering is not a job offer"}
# Contract words in a title or description; the first mentioned wins ("CDD de 6 mois pouvant
# déboucher sur un CDI" is a CDD).
_CONTRACT_WORDS = (
    ("ALT", re.compile(r"\b(alternance|apprenti(e|s)?|apprentissage|contrat de professionnalisation)\b")),
    ("MIS", re.compile(r"\b(interim|interimaire|mission d interim|travail temporaire)\b")),
    ("SAI", re.compile(r"\b(saisonniere?|saison (estivale|d hiver|d ete)|contrat saisonnier)\b")),
    ("CDI", re.compile(r"\b(cdi|contrat a duree indeterminee)\b")),
    ("CDD", re.compile(r"\b(cdd|contrat a duree determinee)\b")),
    ("LIB", re.compile(r"\b(freelance|statut independant|travailleur independant|auto entrepreneur|micro entrepreneur)\b")),
)
_DURATION = re.compile(r"\b(?:cdd|mission|contrat|duree)[^0-9]{0,25}([0-9]{1,2}) (mois|semaines?|jours?)\b")
# "35H Horaires normaux", "24H30/semaine", "35 heures par semaine": hours first, or said weekly.
_HOURS = re.compile(r"([0-9]{1,2}(?:[.,][0-9]+)?) ?h(?:eures?|ours?)?(?:([0-9]{2})\b)?(?!\s*(?:-|–|à|a|to)\s*[0-9])",
                    re.IGNORECASE)  # not a time of day range ("9h-17h")
_WEEKLY = re.compile(r"semaine|hebdo|week", re.IGNORECASE)
# Salary units, schema.org and France Travail: amounts are turned into hour, month or year.
_UNIT_FACTOR = {"HOUR": ("hour", 1.0), "DAY": ("hour", 1 / 7), "WEEK": ("month", 52 / 12),
                "MONTH": ("month", 1.0), "YEAR": ("year", 1.0)}

# France Travail contract codes -> the platform's. FT also uses commercial or franchise forms
# (CCE, FRA, REP: the person works on their own account) and insertion contracts.
_FT_CONTRACT = {"CDI": "CDI", "CDD": "CDD", "MIS": "MIS", "SAI": "SAI", "LIB": "LIB", "CCE": "LIB",
                "FRA": "LIB", "REP": "LIB", "DDI": "CDD", "DIN": "MIS", "TTI": "MIS"}
_FT_SALARY = re.compile(
    r"^(?P<period>horaire|mensuel|annuel)\s+de\s+(?P<low>[0-9]+(?:[.,][0-9]+)?)\s*euros?"
    r"(?:\s+a\s+(?P<high>[0-9]+(?:[.,][0-9]+)?)\s*euros?)?"
    r"(?:\s+sur\s+(?P<count>[0-9]+(?:[.,][0-9]+)?)\s+(?P<unit>mois|heures?))?",
)
_FT_PERIOD = {"horaire": "hour", "mensuel": "month", "annuel": "year"}
_FT_DURATION = re.compile(r"([0-9]+)\s*(mois|jour\(s\)|jours?|semaines?|an\(s\)|ans?)\b")


def from_job_posting(doc: Mapping) -> dict[str, Any]:
    """A schema.org JobPosting (JSON-LD) as the native deposit shape."""
    doc = _job_posting_node(doc)
    title = html_to_text(_text(doc.get("title")))
    description = html_to_text(_text(doc.get("description")))
    offer: dict[str, Any] = {"title": title, "description": description}

    identifier = doc.get("identifier")
    value = identifier.get("value") if isinstance(identifier, Mapping) else identifier
    if value not in (None, ""):
        offer["source_offer_id"] = str(value)

    organisation = doc.get("hiringOrganization") or {}
    if isinstance(organisation, str):
        organisation = {"name": organisation}
    employer: dict[str, Any] = {"name": _text(organisation.get("name"))}
    siret = _siret_of(organisation)
    if siret:
        employer["siret"] = siret
    offer["employer"] = employer

    address = _address(doc.get("jobLocation"))
    if address is not None:
        postal, locality = _text(address.get("postalCode")), _text(address.get("addressLocality"))
        code = commune_code_from_address(postal, locality)
        if code is None:
            raise InvalidOffer([{"field": "jobLocation.address",
                                 "message": f"no known INSEE commune for \"{postal} {locality}\"".replace("  ", " ")}])
        offer["place"] = {"commune_code": code}

    types = doc.get("employmentType") or []
    types = [types] if isinstance(types, str) else list(types)
    types = [str(t).upper().replace("-", "_").replace(" ", "_") for t in types]
    for kind, reason in _NOT_JOBS.items():
        if kind in types and not any(t in _WORKING_TIME or t in _CONTRACT_BY_EMPLOYMENT for t in types):
            raise InvalidOffer([{"field": "employmentType", "message": reason}])
    folded = fold(title + "\n" + description)
    contract = _contract_from_words(folded) or next(
        (_CONTRACT_BY_EMPLOYMENT[t] for t in types if t in _CONTRACT_BY_EMPLOYMENT), None)
    if contract:
        offer["contract"] = {"type": contract}
        duration = _duration_months(folded) if contract in ("CDD", "MIS", "SAI", "ALT") else None
        if duration:
            offer["contract"]["duration_months"] = duration
    working_time = next((_WORKING_TIME[t] for t in types if t in _WORKING_TIME), None)
    hours = _weekly_hours(doc.get("workHours"))
    if working_time or hours:
        offer["working_time"] = {k: v for k, v in (("type", working_time), ("weekly_hours", hours)) if v}

    salary = _job_posting_salary(doc.get("baseSalary"))
    if salary:
        offer["salary"] = salary
    rome = _rome_code(doc.get("occupationalCategory"))
    if rome:
        offer["rome_code"] = rome
    for source_key, key in (("datePosted", "posted_on"), ("validThrough", "ends_on"), ("jobStartDate", "starts_on")):
        day = _day(doc.get(source_key))
        if day:
            offer[key] = day
    openings = doc.get("totalJobOpenings")
    if isinstance(openings, int) and not isinstance(openings, bool) and openings > 0:
        offer["positions"] = openings
    url = doc.get("url") or doc.get("sameAs")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        offer["url"] = url
    return offer


def from_ft_offre_v2(doc: Mapping) -> dict[str, Any]:
    """An offer of France Travail's "Offres d'emploi v2" API as the native deposit shape."""
    if not isinstance(doc, Mapping) or not doc.get("intitule"):
        raise InvalidOffer([{"field": "intitule", "message": "not an \"Offres d'emploi v2\" offer: intitule is missing"}])
    offer: dict[str, Any] = {"title": _text(doc.get("intitule")), "description": _text(doc.get("description"))}
    if doc.get("id"):
        offer["source_offer_id"] = str(doc["id"])

    company = doc.get("entreprise") or {}
    # Offers whose employer chose anonymity carry no name; the platform shows them as such and
    # deduplication links them only through a SIRET.
    employer: dict[str, Any] = {"name": _text(company.get("nom")) or ANONYMOUS_EMPLOYER}
    if company.get("siret"):
        employer["siret"] = compact_siret(str(company["siret"]))
    offer["employer"] = employer

    place = doc.get("lieuTravail") or {}
    code = _text(place.get("commune"))
    if not code and (place.get("codePostal") or place.get("libelle")):
        locality = re.sub(r"^\s*[0-9AB]{2,3}\s*-\s*", "", _text(place.get("libelle")))
        code = commune_code_from_address(_text(place.get("codePostal")), locality) or ""
        if not code:
            raise InvalidOffer([{"field": "lieuTravail",
                                 "message": f"no known INSEE commune for \"{_text(place.get('libelle'))}\""}])
    if code:
        offer["place"] = {"commune_code": code}

    if doc.get("romeCode"):
        offer["rome_code"] = _text(doc["romeCode"])

    contract = "ALT" if doc.get("alternance") is True else _FT_CONTRACT.get(_text(doc.get("typeContrat")).upper())
    if contract:
        offer["contract"] = {"type": contract}
        months = _ft_duration_months(_text(doc.get("typeContratLibelle")))
        if months and contract not in ("CDI", "LIB"):
            offer["contract"]["duration_months"] = months

    converted = fold(_text(doc.get("dureeTravailLibelleConverti")))
    working_time = "part_time" if "partiel" in converted else "full_time" if "plein" in converted else None
    hours = _weekly_hours(doc.get("dureeTravailLibelle"))
    if working_time or hours:
        offer["working_time"] = {k: v for k, v in (("type", working_time), ("weekly_hours", hours)) if v}

    salary = _ft_salary((doc.get("salaire") or {}).get("libelle"))
    if salary:
        offer["salary"] = salary
    if isinstance(doc.get("accessibleTH"), bool):
        offer["accessible_to_disabled"] = doc["accessibleTH"]
    positions = doc.get("nombrePostes")
    if isinstance(positions, int) and not isinstance(positions, bool) and positions > 0:
        offer["positions"] = positions
    posted = _day(doc.get("dateCreation"))
    if posted:
        offer["posted_on"] = posted
    url = (doc.get("origineOffre") or {}).get("urlOrigine")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        offer["url"] = url
    return offer



def _job_posting_node(doc: Any) -> Mapping:
    if isinstance(doc, Mapping) and "@graph" in doc:
        doc = next((node for node in doc["@graph"] if _is_job_posting(node)), None)
    if not _is_job_posting(doc):
        raise InvalidOffer([{"field": "@type", "message": "not a schema.org JobPosting"}])
    return doc


def _is_job_posting(node: Any) -> bool:
    if not isinstance(node, Mapping):
        return False
    kind = node.get("@type")
    return kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _siret_of(organisation: Mapping) -> str | None:
    identifiers = organisation.get("identifier")
    for identifier in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(identifier, Mapping):
            label = fold(f"{identifier.get('propertyID', '')} {identifier.get('name', '')}")
            value = compact_siret(str(identifier.get("value", "")))
            if "siret" in label or (len(value) == 14 and value.isdigit()):
                return value
        elif isinstance(identifier, str) and len(compact_siret(identifier)) == 14:
            return compact_siret(identifier)
    return None


def _address(location: Any) -> Mapping | None:
    if isinstance(location, list):
        location = location[0] if location else None
    if not isinstance(location, Mapping):
        return None
    address = location.get("address")
    return address if isinstance(address, Mapping) else None


def _contract_from_words(folded: str) -> str | None:
    mentions = [(match.start(), kind) for kind, words in _CONTRACT_WORDS for match in [words.search(folded)] if match]
    return min(mentions)[1] if mentions else None


def _duration_months(folded: str) -> int | None:
    match = _DURATION.search(folded)
    return _months(int(match.group(1)), match.group(2)) if match else None


def _ft_duration_months(label: str) -> int | None:
    # "Contrat à durée déterminée - 6 Mois", "Mission intérimaire - 15 Jour(s)"
    match = _FT_DURATION.search(fold_accents(label))
    return _months(int(match.group(1)), match.group(2)) if match else None


def _months(count: int, unit: str) -> int | None:
    if count <= 0:
        return None
    if unit.startswith("an"):
        return count * 12
    if unit.startswith("semaine"):
        return max(1, math.ceil(count / 4.33))
    if unit.startswith("jour"):
        return max(1, math.ceil(count / 30.4))  # a mission of days counts as a month, at least
    return count


def _weekly_hours(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if 0 < value <= 48 else None
    if not isinstance(value, str):
        return None
    # A time of day ("9h-17h") is not a weekly duration: take hours that open the text or are
    # said to be weekly.
    match = _HOURS.match(value.strip()) or (_HOURS.search(value) if _WEEKLY.search(value) else None)
    if not match:
        return None
    hours = float(match.group(1).replace(",", ".")) + (int(match.group(2)) / 60 if match.group(2) else 0)
    return round(hours, 2) if 0 < hours <= 48 else None


def _job_posting_salary(base: Any) -> dict[str, Any] | None:
    if not isinstance(base, Mapping):
        return None
    if base.get("currency") not in (None, "EUR"):
        return None  # only euros are converted; the offer stays without a salary range
    value = base.get("value")
    unit = base.get("unitText")
    if isinstance(value, Mapping):
        unit = value.get("unitText", unit)
        low, high = value.get("minValue", value.get("value")), value.get("maxValue")
    else:
        low, high = value, None
    period, factor = _UNIT_FACTOR.get(str(unit or "").upper(), (None, 1.0))
    amounts = {k: round(_number(v) * factor, 2) for k, v in (("min", low), ("max", high)) if _number(v)}
    if not period or not amounts:
        return None
    return {**amounts, "period": period}


def _ft_salary(label: Any) -> dict[str, Any] | None:
    if not isinstance(label, str) or not label.strip():
        return None
    salary: dict[str, Any] = {"label": label.strip()}
    match = _FT_SALARY.match(fold_accents(label.strip()))
    if match:
        salary["period"] = _FT_PERIOD[match.group("period")]
        salary["min"] = float(match.group("low").replace(",", "."))
        if match.group("high"):
            salary["max"] = float(match.group("high").replace(",", "."))
        if match.group("unit") == "mois" and salary["period"] == "month":
            salary["months_per_year"] = float(match.group("count").replace(",", "."))
    return salary


def _rome_code(category: Any) -> str | None:
    values = category if isinstance(category, list) else [category]
    for value in values:
        if isinstance(value, Mapping):
            value = value.get("codeValue") or value.get("name")
        match = ROME_CODE.search(value.upper()) if isinstance(value, str) else None
        if match:
            return match.group(0)
    return None


def _day(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    """A positive amount, from a number or a text such as "1800,50"; None otherwise."""
    if isinstance(value, str):
        try:
            value = float(value.replace(",", ".").replace(" ", ""))
        except ValueError:
            return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
        return float(value)
    return None
