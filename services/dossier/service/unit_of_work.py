"""What a dossier use case works on: the dossiers (sections and journals) and the events it emits.

`Dossiers` is the port the handlers use; `DossierRepository` implements it on the database and
the unit tests' fake in memory. Routes and consumers open the transaction and build the unit of
work over its session with `unit_of_work`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from services.core.access_log import Accessor
from services.core.identity import Caller
from services.core.outbox import Outbox
from services.core.uow import OutboxEvents, UnitOfWork
from services.dossier.adapters.repository import DossierRepository
from services.dossier.domain.dossier import Dossier
from services.dossier.domain.journal import DOSSIER, Access, Change
from services.dossier.domain.sections import Section


class Dossiers(Protocol):
    def get(self, person_id: str, *, for_update: bool = False) -> Dossier:
        """Every section of the person; `for_update` serialises writers of the same person."""

    def save(self, person_id: str, section: Section, now: datetime) -> None:
        """The section at its new version; `UniqueKeyTaken` if a concurrent first write won."""

    def followed(self, after: str | None, limit: int) -> list[str]:
        """People with a diagnostic or a contract, by id after `after`: those a deadline can concern."""

    def record_change(self, person_id: str, caller: Caller, section: str, action: str, version: int,
                      changes: dict[str, Any], now: datetime) -> None: ...

    def record_access(self, person_id: str, caller: Accessor, access: str, sections: list[str],
                      purpose: str | None, now: datetime, service: str = DOSSIER, reason: str | None = None,
                      procedure_closed_at: datetime | None = None) -> None:
        """`service`: the one that accessed the data, when another service told the dossier;
        `procedure_closed_at`: for a read made for a control, when its procedure closed."""

    def changes(self, person_id: str, sections: list[str], before_id: int | None, limit: int) -> list[Change]:
        """Newest first, ids below `before_id` when given."""

    def accesses(self, person_id: str, before_id: int | None, limit: int,
                 shown_to_person: bool = False) -> list[Access]:
        """Newest first, ids below `before_id` when given; `shown_to_person`: those `journal.shown_to_person`
        lets the person see, filtered before the page is cut so that pages stay full."""


@dataclass
class DossierUnitOfWork(UnitOfWork):
    dossiers: Dossiers


def unit_of_work(session: Session, outbox: Outbox) -> DossierUnitOfWork:
    """The database unit of work: sections, journals and outbox rows all in the session's transaction."""
    return DossierUnitOfWork(events=OutboxEvents(session, outbox), dossiers=DossierRepository(session))
