"""Stores of the indicators service (no commit: the consumer's transaction holds the event's id too)."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from sqlalchemy import bindparam, delete, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.indicators.adapters.orm import IndicatorCellRow, IndicatorEarlyEventRow, IndicatorPersonPlaceRow
from services.indicators.domain.facts import Place
from services.indicators.domain.observations import CellKey

KEY_COLUMNS = ("indicator", "measure", "level", "territory", "month", "breakdown", "category")


class CellStore:
    """Cells are summed in memory through the transaction and written once, just before it commits:
    one upsert statement, compiled once and executed for many rows. Writing each event's cells as a
    statement of its own (a multi-row VALUES of a different shape every time) spent 80% of a replay
    compiling SQL and held it to ~600 events/s in process (docs/performance.md)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, cells: Counter[CellKey]) -> None:
        if not cells:
            return
        pending = self.session.info.get(_PENDING_CELLS)
        if pending is None:
            pending = self.session.info[_PENDING_CELLS] = Counter()
            event.listen(self.session, "before_commit", _write_pending_cells, once=True)
        pending.update(cells)

    def of_indicator(self, indicator: str, months: tuple[str, str] | None = None) -> Counter[CellKey]:
        query = select(IndicatorCellRow).where(IndicatorCellRow.indicator == indicator)
        if months is not None:
            query = query.where(IndicatorCellRow.month >= months[0], IndicatorCellRow.month <= months[1])
        return Counter({tuple(getattr(row, name) for name in KEY_COLUMNS): row.value
                        for row in self.session.scalars(query)})


_PENDING_CELLS = "indicator_cells_pending"


def _write_pending_cells(session: Session) -> None:
    pending: Counter[CellKey] = session.info.pop(_PENDING_CELLS, Counter())
    if pending:
        # In key order: two writers (a replay beside the live consumer) lock rows in the same order.
        rows = [{**dict(zip(KEY_COLUMNS, key)), "value": amount} for key, amount in sorted(pending.items())]
        session.connection().execute(_cell_upsert(session.get_bind().dialect.name), rows)


@lru_cache(maxsize=None)
def _cell_upsert(dialect: str):
    table = IndicatorCellRow.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    return statement.on_conflict_do_update(index_elements=list(KEY_COLUMNS),
                                           set_={"value": table.c.value + statement.excluded.value})


_PLACES = IndicatorPersonPlaceRow.__table__
_EARLY = IndicatorEarlyEventRow.__table__
# Built once: a replay runs these once per event, and building a statement costs more than running it.
_PLACE_OF = select(_PLACES.c.commune_code).where(_PLACES.c.person_id == bindparam("person_id"))
_TAKE_EARLY = (delete(_EARLY).where(_EARLY.c.person_id == bindparam("person_id"))
               .returning(_EARLY.c.event_id, _EARLY.c.event_type, _EARLY.c.data))


@lru_cache(maxsize=None)
def _place_insert(dialect: str):
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING tells whether the row went in: psycopg's rowcount does not after ON CONFLICT.
    return insert(_PLACES).on_conflict_do_nothing(index_elements=["person_id"]).returning(_PLACES.c.person_id)


class PersonPlaces:
    """Core statements rather than the ORM's identity map: a replay asks for a place once per event,
    and the ORM's load and flush cost more than the statement (docs/performance.md)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def place_of(self, person_id: str) -> Place | None:
        commune_code = self.session.execute(_PLACE_OF, {"person_id": person_id}).scalar()
        return Place(commune_code) if commune_code is not None else None

    def remember(self, person_id: str, commune_code: str) -> bool:
        """False when the person was already placed: a person counts where they first registered."""
        inserted = self.session.execute(_place_insert(self.session.get_bind().dialect.name),
                                        {"person_id": person_id, "commune_code": commune_code})
        return inserted.first() is not None


class EarlyEvents:
    def __init__(self, session: Session) -> None:
        self.session = session

    def keep(self, event_id: str, person_id: str, event_type: str, data: dict) -> None:
        self.session.add(IndicatorEarlyEventRow(event_id=event_id, person_id=person_id, event_type=event_type,
                                                data=data))
        self.session.flush()

    def take(self, person_id: str) -> list[tuple[str, dict]]:
        """One statement, as most registrations have nothing waiting for them."""
        rows = self.session.execute(_TAKE_EARLY, {"person_id": person_id}).all()
        return [(event_type, data) for _, event_type, data in sorted(rows)]
