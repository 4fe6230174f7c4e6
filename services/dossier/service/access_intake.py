"""Accesses to a person's data that other services tell the dossier (`<service>.person.access_recorded.v1`):
kept in the person's one access-log timeline, next to the dossier's own reads and writes."""
from __future__ import annotations

from datetime import datetime

from services.core.access_log import Organisation
from services.core.events import Envelope
from services.dossier.domain.journal import procedure_closed_at
from services.dossier.service.unit_of_work import DossierUnitOfWork


def record_told_access(uow: DossierUnitOfWork, event: Envelope) -> None:
    data = event.data
    uow.dossiers.record_access(data["person_id"], Organisation(**data["by"]), data["access"], data["sections"],
                               data["purpose"], datetime.fromisoformat(data["at"]), service=data["service"],
                               reason=data["reason"],
                               procedure_closed_at=procedure_closed_at(data["service"], data["purpose"], event.time))
