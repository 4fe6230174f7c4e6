"""In-memory dossiers for unit tests of the handlers: the `Dossiers` port without a database."""
from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from services.core.events import SchemaRegistry
from services.core.identity import Caller
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents
from services.dossier.domain.dossier import Dossier
from services.dossier.domain.journal import DOSSIER, Access, Change
from services.dossier.domain.journal import shown_to_person as person_may_see
from services.dossier.domain.sections import Section
from services.dossier.service.unit_of_work import DossierUnitOfWork

SCHEMAS = SchemaRegistry(REPO_ROOT / "schemas")


class InMemoryDossiers:
    """Sections are copied in and out, as a database would: a change counts only once saved."""

    def __init__(self) -> None:
        self.sections: dict[tuple[str, str], Section] = {}
        self.changes_made: list[tuple[str, Change]] = []
        self.access_log: list[tuple[str, Access]] = []

    def get(self, person_id: str, *, for_update: bool = False) -> Dossier:
        return Dossier(person_id, {name: copy.deepcopy(section) for (person, name), section in self.sections.items()
                                   if person == person_id})

    def save(self, person_id: str, section: Section, now: datetime) -> None:
        self.sections[(person_id, section.name)] = copy.deepcopy(section)

    def record_change(self, person_id: str, caller: Caller, section: str, action: str, version: int,
                      changes: dict[str, Any], now: datetime) -> None:
        change = Change(len(self.changes_made) + 1, section, action, version, now, copy.deepcopy(changes), _by(caller))
        self.changes_made.append((person_id, change))

    def record_access(self, person_id: str, caller: Caller, access: str, sections: list[str],
                      purpose: str | None, now: datetime, service: str = DOSSIER, reason: str | None = None,
                      procedure_closed_at: datetime | None = None) -> None:
        self.access_log.append((person_id, Access(len(self.access_log) + 1, access, sections, purpose, now,
                                                  _by(caller), service, reason, procedure_closed_at)))

    def changes(self, person_id: str, sections: list[str], before_id: int | None, limit: int) -> list[Change]:
        return _page([c for person, c in self.changes_made if person == person_id and c.section in sections],
                     before_id, limit)

    def accesses(self, person_id: str, before_id: int | None, limit: int,
                 shown_to_person: bool = False) -> list[Access]:
        return _page([a for person, a in self.access_log if person == person_id
                      and (not shown_to_person or person_may_see(a))], before_id, limit)


def unit_of_work() -> DossierUnitOfWork:
    """A fresh fake unit of work; its events are checked against `schemas/` as the outbox would."""
    return DossierUnitOfWork(events=RecordedEvents(SCHEMAS), dossiers=InMemoryDossiers())


def _page(entries: list, before_id: int | None, limit: int) -> list:
    return [e for e in reversed(entries) if before_id is None or e.id < before_id][:limit]


def _by(caller: Caller) -> dict[str, str]:
    return {"client_id": caller.client_id, "org_id": caller.org_id, "org_type": caller.org_type}
