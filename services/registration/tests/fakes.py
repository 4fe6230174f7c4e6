"""In-memory twins of the registration service's ports, for use-case tests without a database."""
from __future__ import annotations

import copy
from datetime import date, datetime

from services.core.db import UniqueKeyTaken
from services.core.events import SchemaRegistry
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents
from services.registration.domain.identity_match import Candidate
from services.registration.domain.model import Registration
from services.registration.domain.policy import Audience
from services.registration.domain.repository import ListQuery
from services.registration.service.unit_of_work import RegistrationUnitOfWork

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


class InMemoryRegistrations:
    """Stores copies, as a database would: a change not saved is not seen, and the unique keys
    (id, NIR fingerprint) are enforced."""

    def __init__(self) -> None:
        self.rows: dict[str, Registration] = {}

    def get(self, registration_id: str, *, for_update: bool = False) -> Registration | None:
        stored = self.rows.get(registration_id)
        return copy.deepcopy(stored) if stored else None

    def by_nir_fingerprint(self, fingerprint: str) -> Registration | None:
        return next((copy.deepcopy(r) for r in self.rows.values() if r.nir_fingerprint == fingerprint), None)

    def born_on(self, birth_date: date) -> list[Registration]:
        return [copy.deepcopy(r) for r in self.rows.values() if r.birth_date == birth_date]

    def identities_born_on(self, birth_date: date) -> list[Candidate]:
        return [Candidate(r.id, copy.deepcopy(r.sections["identity"])) for r in self.rows.values()
                if r.birth_date == birth_date]

    def add(self, registration: Registration) -> None:
        if registration.id in self.rows:
            raise UniqueKeyTaken()
        self.save(registration)

    def save(self, registration: Registration) -> None:
        fingerprint = registration.nir_fingerprint
        if fingerprint and any(r.nir_fingerprint == fingerprint and r.id != registration.id for r in self.rows.values()):
            raise UniqueKeyTaken()
        stored = copy.deepcopy(registration)
        stored.events = []  # events are emitted, never stored
        self.rows[registration.id] = stored

    def list(self, query: ListQuery, audience: Audience, today: date) -> list[Registration]:
        matching = sorted((r for r in self.rows.values() if audience.covers(r, today)
                           and _matches(query, r)), key=lambda r: (r.created_at, r.id))
        return [copy.deepcopy(r) for r in matching[:query.limit]]


class InMemoryNirConflicts:
    def __init__(self) -> None:
        self.rows: list[tuple[str, datetime]] = []

    def record(self, client_id: str, at: datetime) -> None:
        self.rows.append((client_id, at))

    def since(self, client_id: str, start: datetime) -> list[datetime]:
        return [at for client, at in self.rows if client == client_id and at >= start]


def _matches(query: ListQuery, registration: Registration) -> bool:
    registered_at = registration.registered_at
    return (
        query.departement_code in (None, registration.territory.departement_code)
        and query.status in (None, registration.status)
        and (query.registered_from is None or (registered_at is not None and registered_at >= query.registered_from))
        and (query.registered_to is None or (registered_at is not None and registered_at < query.registered_to))
        and (query.after is None or (registration.created_at, registration.id) > query.after)
    )


def fake_unit_of_work() -> RegistrationUnitOfWork:
    """Registrations in memory; events recorded, each checked against its schema under schemas/."""
    return RegistrationUnitOfWork(events=RecordedEvents(SCHEMAS), registrations=InMemoryRegistrations(),
                                  nir_conflicts=InMemoryNirConflicts())
