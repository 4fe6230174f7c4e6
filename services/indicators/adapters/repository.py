"""Stores of the indicators service (no commit: the consumer's transaction holds the event's id too)."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.indicators.adapters.orm import IndicatorCellRow, IndicatorEarlyEventRow, IndicatorPersonPlaceRow
from services.indicators.domain.facts import Place
from services.indicators.domain.observations import CellKey

KEY_COLUMNS = ("indicator", "measure", "level", "territory", "month", "breakdown", "category")


class CellStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, cells: Counter[CellKey]) -> None:
        """One statement per event: an upsert adding each amount (a replay applies a million events)."""
        if not cells:
            return
        insert = postgresql.insert if self.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        statement = insert(IndicatorCellRow).values(
            [{**dict(zip(KEY_COLUMNS, key)), "value": amount} for key, amount in sorted(cells.items())])
        self.session.execute(statement.on_conflict_do_update(
            index_elements=list(KEY_COLUMNS), set_={"value": IndicatorCellRow.value + statement.excluded.value}))

    def of_indicator(self, indicator: str, months: tuple[str, str] | None = None) -> Counter[CellKey]:
        query = select(IndicatorCellRow).where(IndicatorCellRow.indicator == indicator)
        if months is not None:
            query = query.where(IndicatorCellRow.month >= months[0], IndicatorCellRow.month <= months[1])
        return Counter({tuple(getattr(row, name) for name in KEY_COLUMNS): row.value
                        for row in self.session.scalars(query)})


class PersonPlaces:
    def __init__(self, session: Session) -> None:
        self.session = session

    def place_of(self, person_id: str) -> Place | None:
        row = self.session.get(IndicatorPersonPlaceRow, person_id)
        return Place(row.commune_code) if row else None

    def remember(self, person_id: str, commune_code: str) -> bool:
        """False when the person was already placed: a person counts where they first registered."""
        if self.session.get(IndicatorPersonPlaceRow, person_id) is not None:
            return False
        self.session.add(IndicatorPersonPlaceRow(person_id=person_id, commune_code=commune_code))
        self.session.flush()
        return True


class EarlyEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def keep(self, event_id: str, person_id: str, event_type: str, data: dict) -> None:
        self.session.add(IndicatorEarlyEventRow(event_id=event_id, person_id=person_id, event_type=event_type,
                                                data=data))
        self.session.flush()

    def take(self, person_id: str) -> list[tuple[str, dict]]:
        rows = self.session.scalars(select(IndicatorEarlyEventRow).where(IndicatorEarlyEventRow.person_id == person_id)
                                    .order_by(IndicatorEarlyEventRow.event_id)).all()
        self.session.execute(delete(IndicatorEarlyEventRow).where(IndicatorEarlyEventRow.person_id == person_id))
        return [(row.event_type, row.data) for row in rows]
