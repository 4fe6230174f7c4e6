"""In-memory repositories for unit tests: the same ports as the database adapters."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime

from services.core.events import SchemaRegistry
from services.core.identity import Caller
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents
from services.profiles.domain.introduction import Introduction
from services.profiles.domain.matching import KeptOffer
from services.profiles.domain.profile import Profile
from services.profiles.domain.repository import AccessEntry
from services.profiles.service.unit_of_work import ProfilesUnitOfWork

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


@dataclass
class FakeProfiles:
    rows: dict[str, Profile] = field(default_factory=dict)
    early: list[tuple[str, dict]] = field(default_factory=list)

    def get(self, person_id: str, *, for_update: bool = False) -> Profile | None:
        found = self.rows.get(person_id)
        return copy.deepcopy(found) if found else None

    def save(self, profile: Profile, now: datetime) -> None:
        self.rows[profile.person_id] = _stored(profile)

    def keep_early(self, person_id: str, envelope: dict) -> None:
        self.early.append((person_id, envelope))

    def early_events(self, person_id: str) -> list[dict]:
        found = [envelope for subject, envelope in self.early if subject == person_id]
        self.early = [(subject, envelope) for subject, envelope in self.early if subject != person_id]
        return found


@dataclass
class FakeOffers:
    rows: dict[str, KeptOffer] = field(default_factory=dict)

    def get(self, offer_id: str) -> KeptOffer | None:
        return self.rows.get(offer_id)

    def keep(self, offer: KeptOffer) -> None:
        self.rows[offer.offer_id] = offer


@dataclass
class FakeIntroductions:
    rows: dict[str, Introduction] = field(default_factory=dict)

    def get(self, introduction_id: str, *, for_update: bool = False) -> Introduction | None:
        found = self.rows.get(introduction_id)
        return copy.deepcopy(found) if found else None

    def save(self, introduction: Introduction) -> None:
        self.rows[introduction.id] = _stored(introduction)

    def pending(self, person_id: str, org_id: str) -> Introduction | None:
        return next((i for i in self.rows.values() if i.person_id == person_id
                     and i.requester["org_id"] == org_id and i.status == "requested"), None)

    def of_person(self, person_id: str, limit: int = 100) -> list[Introduction]:
        return [i for i in self.rows.values() if i.person_id == person_id][:limit]

    def due(self, now: datetime, limit: int) -> list[Introduction]:
        return [copy.deepcopy(i) for i in self.rows.values() if i.status == "requested" and i.expires_at <= now][:limit]


@dataclass
class FakeAccessLog:
    entries: list[AccessEntry] = field(default_factory=list)

    def record(self, entry: AccessEntry) -> None:
        self.entries.append(entry)


@dataclass
class FakeViews:
    counts: dict[tuple[str, date], int] = field(default_factory=dict)

    def count(self, org_id: str, day: date) -> int:
        self.counts[org_id, day] = self.counts.get((org_id, day), 0) + 1
        return self.counts[org_id, day]


def _stored(aggregate):
    """As the database keeps it: the state, not the events raised in this unit of work."""
    stored = copy.deepcopy(aggregate)
    stored.events.clear()
    return stored


def fake_uow() -> ProfilesUnitOfWork:
    return ProfilesUnitOfWork(events=RecordedEvents(SCHEMAS), profiles=FakeProfiles(), offers=FakeOffers(),
                              introductions=FakeIntroductions(), access_log=FakeAccessLog(), views=FakeViews())


def caller(org_type: str, org_id: str, territories: tuple[str, ...] = ("44",)) -> Caller:
    return Caller(client_id=f"client-{org_id}", org_id=org_id, org_type=org_type, territories=territories,
                  scopes=frozenset({"profiles:search", "profiles:manage", "profiles:contribute"}))
