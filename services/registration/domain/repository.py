"""The registrations repository as the use cases see it: a port, implemented on SQL by
`adapters.repository` and in memory by the unit tests' fake."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from services.registration.domain.identity_match import Candidate
from services.registration.domain.model import Registration
from services.registration.domain.policy import Audience


@dataclass(frozen=True)
class ListQuery:
    departement_code: str | None = None
    registered_from: datetime | None = None
    registered_to: datetime | None = None
    status: str | None = None
    after: tuple[datetime, str] | None = None  # keyset cursor: (created_at, id) of the last item seen
    limit: int = 20


class Registrations(Protocol):
    """`add` and `save` raise `services.core.db.UniqueKeyTaken` when the id or the NIR fingerprint
    is already another registration's (a concurrent writer committed first)."""

    def get(self, registration_id: str, *, for_update: bool = False) -> Registration | None: ...

    def by_nir_fingerprint(self, fingerprint: str) -> Registration | None: ...

    def born_on(self, birth_date: date) -> list[Registration]: ...

    def identities_born_on(self, birth_date: date) -> list[Candidate]:
        """Every registration's identity with this birth date, unbounded: a login must see them all."""
        ...

    def add(self, registration: Registration) -> None: ...

    def save(self, registration: Registration) -> None: ...

    def list(self, query: ListQuery, audience: Audience, territories: tuple[str, ...],
             today: date) -> list[Registration]: ...
