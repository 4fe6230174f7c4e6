"""The ports the use cases need, and the plain values they exchange: the database adapters
implement them, the unit tests' fakes too."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from services.profiles.domain.consent import Audience
from services.profiles.domain.introduction import Introduction
from services.profiles.domain.matching import KeptOffer, SearchCriteria
from services.profiles.domain.profile import Profile

Facets = dict[str, list[tuple[Any, int]]]  # facet name -> (value, profiles) most frequent first
# A page of profiles, each with its score level: the number of scored criteria it meets (its sort key).
Ranked = list[tuple[Profile, int]]


@dataclass(frozen=True)
class AccessEntry:
    """An organisation saw a person's data: a detail view, or a contact release."""

    person_id: str
    action: str
    org_id: str
    org_type: str
    client_id: str
    at: datetime
    reference: str | None = None


@dataclass(frozen=True)
class StatsRow:
    audience: str
    departement_code: str
    requests: int
    interested: int
    introductions: int
    hires: int


class Profiles(Protocol):
    def get(self, person_id: str, *, for_update: bool = False) -> Profile | None: ...

    def save(self, profile: Profile, now: datetime) -> None: ...

    def keep_early(self, person_id: str, envelope: dict[str, Any]) -> None:
        """An event (its envelope) about a person whose registration has not arrived yet, kept until it does."""

    def early_events(self, person_id: str) -> list[dict[str, Any]]:
        """The envelopes kept for this person, in their order, forgotten once read."""


class Finder(Protocol):
    """Searches over the profiles an audience may find, ordered by score level then person id."""

    def search(self, criteria: SearchCriteria, audience: Audience, after: tuple[int, str] | None,
               limit: int) -> Ranked:
        """Level: how many of the asked ROME codes and skills the profile has."""

    def facets(self, criteria: SearchCriteria, audience: Audience) -> Facets: ...

    def for_offer(self, offer: KeptOffer, audience: Audience, distances: dict[str, float | None], today: date,
                  limit: int) -> Ranked:
        """Profiles with the offer's ROME code in the communes of `distances` (their km to the
        offer's), or anywhere when the offer has no place; level: how many of the other checks of
        `rank_for_offer` they meet."""


class Offers(Protocol):
    def get(self, offer_id: str) -> KeptOffer | None: ...

    def keep(self, offer: KeptOffer) -> None: ...


class Introductions(Protocol):
    def get(self, introduction_id: str, *, for_update: bool = False) -> Introduction | None: ...

    def save(self, introduction: Introduction) -> None: ...

    def pending(self, person_id: str, org_id: str) -> Introduction | None: ...

    def of_person(self, person_id: str, limit: int = 100) -> list[Introduction]: ...

    def due(self, now: datetime, limit: int) -> list[Introduction]: ...

    def stats(self, departement_code: str | None) -> list[StatsRow]: ...


class AccessLog(Protocol):
    def record(self, entry: AccessEntry) -> None: ...

    def of_person(self, person_id: str, after_id: int | None, limit: int) -> list[tuple[int, AccessEntry]]: ...


class Views(Protocol):
    def count(self, org_id: str, day: date) -> int: ...
