"""Repositories of the sanctions service (no commit: the caller's transaction holds them)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, false, func, or_, select
from sqlalchemy.orm import Session

from services.core.db import serialize_on
from services.core.person_facts import PersonFactsRow
from services.sanctions.adapters.documents import case_document, case_from
from services.sanctions.adapters.orm import CaseRow, HeldAccessRow, LapseRow, ScaleChoiceRow
from services.sanctions.domain.case import IN_FORCE, Case, Lapse, Source, Status
from services.sanctions.domain.policy import DECIDED
from services.sanctions.domain.queries import CaseFilter, Visibility

OPEN = (Status.OBSERVATION, Status.AWAITING_OPINION, Status.AWAITING_DECISION)


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, case_id: str, *, for_update: bool = False) -> Case | None:
        """`for_update` locks the row until the transaction ends: the authority and the person write the
        same case, and a change decided on a stale read would undo the other's."""
        row = self.session.get(CaseRow, case_id, with_for_update=for_update)
        return case_from(row) if row else None

    def add(self, case: Case) -> None:
        self.session.add(CaseRow(id=case.id, person_id=case.person_id, territory=case.territory, public=case.public,
                                 scale_version=case.scale_version, opened_at=case.opened_at,
                                 month=case.opened_at.strftime("%Y-%m"), **self._changing(case)))

    def save(self, case: Case) -> None:
        row = self.session.get(CaseRow, case.id)
        for name, value in self._changing(case).items():
            setattr(row, name, value)

    @staticmethod
    def _changing(case: Case) -> dict[str, Any]:
        kind = case.decision["consequence"]["kind"] if case.decision else None
        return {"status": case.status.value, "version": case.version, "observation_ends_at": case.observation_ends_at,
                "rule": case.evaluation.rule, "consequence_kind": kind, "document": case_document(case)}

    def open_of(self, person_id: str) -> Case | None:
        """The person's open case. A lapse joins it or opens one: concurrent lapses about one person
        (a reported one and a no-show) are taken one after the other, so they never open two."""
        serialize_on(self.session, f"sanctions.intake/{person_id}")
        row = self.session.scalars(select(CaseRow).where(CaseRow.person_id == person_id, CaseRow.status.in_(OPEN))
                                   .limit(1)).first()
        return case_from(row) if row else None

    def current_of(self, person_id: str) -> list[Case]:
        """Open cases and decisions in force: what a re-engagement may concern."""
        rows = self.session.scalars(select(CaseRow).where(CaseRow.person_id == person_id,
                                                          CaseRow.status.in_((*OPEN, *IN_FORCE))))
        return [case_from(row) for row in rows]

    def of_person(self, person_id: str) -> list[Case]:
        """A person's own cases, newest first: what their personal space shows them."""
        rows = self.session.scalars(select(CaseRow).where(CaseRow.person_id == person_id)
                                    .order_by(CaseRow.opened_at.desc(), CaseRow.id.desc()))
        return [case_from(row) for row in rows]

    def sanctions_of(self, person_id: str) -> int:
        """The person's earlier sanctions, annulled ones aside: the scale's "précédent"."""
        return self.session.scalar(select(func.count()).select_from(CaseRow).where(
            CaseRow.person_id == person_id, CaseRow.consequence_kind.is_not(None),
            CaseRow.status != Status.ANNULLED.value)) or 0

    def due(self, now: datetime, limit: int) -> list[Case]:
        rows = self.session.scalars(select(CaseRow).where(
            CaseRow.status == Status.OBSERVATION.value, CaseRow.observation_ends_at <= now)
            .order_by(CaseRow.observation_ends_at).limit(limit).with_for_update(skip_locked=True))
        return [case_from(row) for row in rows]

    def listed(self, visibility: Visibility, where: CaseFilter, after: tuple[datetime, str] | None,
               limit: int) -> list[Case]:
        statement = select(CaseRow).where(_visible(visibility))
        for column, value in ((CaseRow.status, where.status), (CaseRow.territory, where.territory),
                              (CaseRow.public, where.regime), (CaseRow.person_id, where.person_id)):
            if value is not None:
                statement = statement.where(column == value)
        if after is not None:
            statement = statement.where(or_(CaseRow.opened_at < after[0],
                                            and_(CaseRow.opened_at == after[0], CaseRow.id < after[1])))
        rows = self.session.scalars(statement.order_by(CaseRow.opened_at.desc(), CaseRow.id.desc()).limit(limit))
        return [case_from(row) for row in rows]


def _visible(v: Visibility) -> Any:
    if v.everything:
        return CaseRow.id.is_not(None)
    followed = select(PersonFactsRow.person_id).where(PersonFactsRow.referent_org_id == v.referent_org_id)
    conditions = [CaseRow.person_id.in_(followed)]
    conditions += [and_(CaseRow.public == public, CaseRow.territory.in_(territories))
                   for public, territories in v.authority.items()]
    conditions += [and_(CaseRow.public == public, CaseRow.territory.in_(territories), CaseRow.status.in_(DECIDED))
                   for public, territories in v.payer.items()]
    return or_(false(), *conditions)


class LapseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, lapse: Lapse, territory: str, case_id: str | None) -> None:
        self.session.add(LapseRow(id=lapse.id, person_id=lapse.person_id, obligation=lapse.obligation,
                                  source=lapse.source.value, evidence=lapse.evidence, occurred_at=lapse.occurred_at,
                                  recorded_at=lapse.recorded_at, recorded_by=lapse.recorded_by, territory=territory,
                                  month=lapse.recorded_at.strftime("%Y-%m"), case_id=case_id))

    def known(self, lapse_id: str) -> bool:
        return self.session.get(LapseRow, lapse_id) is not None

    def waiting(self, person_id: str, obligation: str) -> list[Lapse]:
        rows = self.session.scalars(select(LapseRow).where(
            LapseRow.person_id == person_id, LapseRow.obligation == obligation, LapseRow.case_id.is_(None))
            .order_by(LapseRow.recorded_at))
        return [Lapse(r.id, r.person_id, r.obligation, Source(r.source), r.evidence, r.occurred_at, r.recorded_at,
                      r.recorded_by) for r in rows]

    def attach(self, lapse_ids: list[str], case_id: str) -> None:
        for row in self.session.scalars(select(LapseRow).where(LapseRow.id.in_(lapse_ids))):
            row.case_id = case_id


class ScaleChoices:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, territory: str) -> ScaleChoiceRow | None:
        return self.session.get(ScaleChoiceRow, territory)

    def put(self, territory: str, version: str, by: str, comment: str | None, now: datetime) -> ScaleChoiceRow:
        row = self.get(territory)
        if row is None:
            row = ScaleChoiceRow(territory=territory, revision=0)
            self.session.add(row)
        row.version, row.revision, row.changed_at, row.changed_by, row.comment = (
            version, row.revision + 1, now, by, comment)
        return row


class HeldAccesses:
    """Reads made for a control, kept until their case closes, then handed over in its order."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def hold(self, case_id: str, person_id: str, access: dict[str, Any], now: datetime) -> None:
        self.session.add(HeldAccessRow(case_id=case_id, person_id=person_id, access=access, held_at=now))

    def release(self, case_id: str) -> list[dict[str, Any]]:
        """The case's held reads, oldest first, removed: the caller publishes them in the same transaction."""
        self.session.flush()
        rows = self.session.scalars(select(HeldAccessRow).where(HeldAccessRow.case_id == case_id)
                                    .order_by(HeldAccessRow.id)).all()
        if rows:
            self.session.execute(delete(HeldAccessRow).where(HeldAccessRow.id.in_([r.id for r in rows])))
        return [row.access for row in rows]
