"""Loads and saves dossiers section by section; appends to the two journals, and only appends.

There is deliberately no update or delete of journal rows here; the database refuses them too.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.db import UniqueKeyTaken
from services.core.access_log import Accessor
from services.core.identity import Caller
from services.dossier.adapters.orm import AccessRow, ChangeRow, SectionRow
from services.dossier.domain.dossier import Dossier
from services.dossier.domain.journal import DOSSIER, Access, Change
from services.dossier.domain.policy import Purpose
from services.dossier.domain.sections import CONTRACT, DIAGNOSTIC, Section


class DossierRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, person_id: str, *, for_update: bool = False) -> Dossier:
        """Every section of the person; `for_update` serialises writers of the same person."""
        query = select(SectionRow).where(SectionRow.person_id == person_id)
        if for_update:
            query = query.with_for_update()
        rows = self.session.scalars(query)
        return Dossier(person_id, {row.section: Section(row.section, row.version, row.content, row.meta)
                                   for row in rows})

    def save(self, person_id: str, section: Section, now: datetime) -> None:
        """Store the section at its new version. A first write racing another first write of the
        same section hits the primary key: surfaced as `UniqueKeyTaken`, i.e. a stale version."""
        row = self.session.get(SectionRow, (person_id, section.name))
        if row is None:
            try:
                with self.session.begin_nested():
                    self.session.add(SectionRow(person_id=person_id, section=section.name, version=section.version,
                                                content=section.content, meta=section.meta, updated_at=now))
            except IntegrityError as exc:
                raise UniqueKeyTaken() from exc
            return
        row.version, row.content, row.meta, row.updated_at = section.version, section.content, section.meta, now

    def followed(self, after: str | None, limit: int) -> list[str]:
        """People with a diagnostic or a contract, by id after `after`: those a deadline can concern."""
        query = select(SectionRow.person_id).where(SectionRow.section.in_((DIAGNOSTIC, CONTRACT))).distinct()
        if after is not None:
            query = query.where(SectionRow.person_id > after)
        return list(self.session.scalars(query.order_by(SectionRow.person_id).limit(limit)))

    def record_change(self, person_id: str, caller: Caller, section: str, action: str, version: int,
                      changes: dict[str, Any], now: datetime) -> None:
        self.session.add(ChangeRow(person_id=person_id, section=section, action=action, version=version,
                                   changes=changes, at=now, **_who(caller)))

    def record_access(self, person_id: str, caller: Accessor, access: str, sections: list[str],
                      purpose: str | None, now: datetime, service: str = DOSSIER, reason: str | None = None,
                      procedure_closed_at: datetime | None = None) -> None:
        self.session.add(AccessRow(person_id=person_id, access=access, sections=sections, purpose=purpose, at=now,
                                   service=service, reason=reason, procedure_closed_at=procedure_closed_at,
                                   **_who(caller)))

    def changes(self, person_id: str, sections: list[str], before_id: int | None, limit: int) -> list[Change]:
        query = select(ChangeRow).where(ChangeRow.person_id == person_id, ChangeRow.section.in_(sections))
        if before_id is not None:
            query = query.where(ChangeRow.id < before_id)
        return [Change(row.id, row.section, row.action, row.version, row.at, row.changes, _by(row))
                for row in self.session.scalars(query.order_by(ChangeRow.id.desc()).limit(limit))]

    def accesses(self, person_id: str, before_id: int | None, limit: int,
                 shown_to_person: bool = False) -> list[Access]:
        query = select(AccessRow).where(AccessRow.person_id == person_id)
        if before_id is not None:
            query = query.where(AccessRow.id < before_id)
        if shown_to_person:  # journal.shown_to_person, in SQL so that a page is full
            query = query.where(or_(AccessRow.purpose.is_(None), AccessRow.purpose != Purpose.CONTROL.value,
                                    AccessRow.procedure_closed_at.is_not(None)))
        return [Access(row.id, row.access, row.sections, row.purpose, row.at, _by(row), row.service, row.reason,
                       row.procedure_closed_at)
                for row in self.session.scalars(query.order_by(AccessRow.id.desc()).limit(limit))]


def _who(caller: Accessor) -> dict[str, str]:
    return {"client_id": caller.client_id, "org_id": caller.org_id, "org_type": caller.org_type}


def _by(row: ChangeRow | AccessRow) -> dict[str, str]:
    return {"client_id": row.client_id, "org_id": row.org_id, "org_type": row.org_type}
