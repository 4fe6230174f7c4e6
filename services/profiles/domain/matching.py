"""Why a profile matched: the criteria it meets and a score, for searches and for an offer.

A search's filters are all required; its ROME codes and skills are "any of", and the score is the
share of those asked for that the profile has. An offer's ROME code is required; its other terms
(contract, working time, the person's own mobility radius, availability) each add to the score.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.profiles.domain.profile import Profile
from services.profiles.domain.text import fold


@dataclass(frozen=True)
class SearchCriteria:
    rome_codes: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # folded
    communes: tuple[str, ...] = ()  # the searched commune and those within the radius
    available_by: date | None = None
    contract_types: tuple[str, ...] = ()
    working_time: str | None = None
    languages: tuple[str, ...] = ()
    driving_licence: bool | None = None

    @property
    def terms_asked(self) -> int:
        return len(self.rome_codes) + len(self.skills)


@dataclass(frozen=True)
class Match:
    criteria: list[dict[str, Any]] = field(default_factory=list)
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"criteria": self.criteria, "score": self.score}


def explain(criteria: SearchCriteria, profile: Profile) -> Match:
    rome = sorted(set(criteria.rome_codes) & set(profile.value("rome_codes", [])))
    skills = sorted(set(criteria.skills) & profile.skill_terms)
    met: list[dict[str, Any]] = []
    for name, matched in (("rome_codes", rome), ("skills", skills)):
        if matched:
            met.append({"criterion": name, "matched": matched})
    simple = {"place": criteria.communes and profile.commune_code,
              "available_by": criteria.available_by and profile.value("available_from"),
              "contract_types": criteria.contract_types and sorted(
                  set(criteria.contract_types) & set(profile.value("contract_types", []))),
              "working_time": criteria.working_time and profile.value("working_time"),
              "languages": criteria.languages and sorted(
                  {language["code"] for language in profile.value("languages", [])} & set(criteria.languages)),
              "driving_licence": criteria.driving_licence and profile.value("driving_licence")}
    met += [{"criterion": name, "matched": value} for name, value in simple.items() if value]
    score = (len(rome) + len(skills)) / criteria.terms_asked if criteria.terms_asked else 1.0
    return Match(met, round(score, 3))


@dataclass(frozen=True)
class KeptOffer:
    """What the bank keeps of an offer (offers events): enough to rank profiles for it."""

    offer_id: str
    owner_org_id: str
    status: str
    rome_code: str | None
    commune_code: str | None
    contract_type: str | None
    working_time: str | None


def rank_for_offer(offer: KeptOffer, profile: Profile, distance_km: float | None, today: date) -> Match:
    checks = {
        "rome_codes": offer.rome_code in profile.value("rome_codes", []),
        "contract_types": offer.contract_type in profile.value("contract_types", []),
        "working_time": profile.value("working_time") in (offer.working_time, "any"),
        "mobility_km": distance_km is not None and distance_km <= profile.value("mobility_km", 0),
        "available_from": (available := profile.value("available_from")) is not None
        and date.fromisoformat(available) <= today,
    }
    met = [{"criterion": name, "matched": True} for name, ok in checks.items() if ok]
    return Match(met, round(len(met) / len(checks), 3))


def folded_skills(skills: list[str]) -> tuple[str, ...]:
    return tuple(sorted({fold(skill) for skill in skills if skill.strip()}))
