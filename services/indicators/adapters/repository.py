"""Stores of the indicators service (no commit: the consumer's transaction holds the events' ids too).

A replay applies a million events, so the stores work per transaction rather than per event: what a
transaction's events need is read in one statement each (`prefetch`), and what they change is kept
in memory and written by `write_pending`, one statement compiled once and run for many rows.
Statement by statement, building and compiling SQL cost more than running it (docs/performance.md).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.core.db import among, insert_rows

from services.indicators.adapters.orm import (IndicatorBookingRow, IndicatorCellRow, IndicatorEarlyEventRow,
                                              IndicatorPersonPlaceRow)
from services.indicators.domain.facts import Place
from services.indicators.domain.observations import CellKey

KEY_COLUMNS = ("indicator", "measure", "level", "territory", "month", "breakdown", "category")
_ROW_COLUMNS = (*KEY_COLUMNS, "value")
_CELLS = IndicatorCellRow.__table__
_PLACES = IndicatorPersonPlaceRow.__table__
_EARLY = IndicatorEarlyEventRow.__table__
_BOOKINGS = IndicatorBookingRow.__table__


def _insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


@lru_cache(maxsize=None)
def _cell_upsert(insert):
    statement = insert(_CELLS)
    return statement.on_conflict_do_update(index_elements=list(KEY_COLUMNS),
                                           set_={"value": _CELLS.c.value + statement.excluded.value})


@lru_cache(maxsize=None)
def _place_insert(insert):
    return insert(_PLACES).on_conflict_do_nothing(index_elements=["person_id"])


class CellStore:
    def __init__(self, session: Session) -> None:
        self.session = session
        # What this transaction adds, summed; the expansion of facts adds to it in place (observations.expand).
        self.pending: Counter[CellKey] = Counter()

    def add(self, cells: Counter[CellKey]) -> None:
        self.pending.update(cells)

    def write_pending(self) -> None:
        if self.pending:
            # In key order: two writers (a replay beside the live consumer) lock rows in the same order.
            rows = [dict(zip(_ROW_COLUMNS, (*key, amount))) for key, amount in sorted(self.pending.items())]
            insert_rows(self.session, _cell_upsert(_insert(self.session)), rows)
            self.pending.clear()

    def of_indicator(self, indicator: str, months: tuple[str, str] | None = None) -> Counter[CellKey]:
        query = select(IndicatorCellRow).where(IndicatorCellRow.indicator == indicator)
        if months is not None:
            query = query.where(IndicatorCellRow.month >= months[0], IndicatorCellRow.month <= months[1])
        return Counter({tuple(getattr(row, name) for name in KEY_COLUMNS): row.value
                        for row in self.session.scalars(query)})


class PersonPlaces:
    """Each person's commune, kept for the transaction once read; a person placed is never moved."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._known: dict[str, str | None] = {}
        self._new: dict[str, str] = {}

    def prefetch(self, person_ids: Iterable[str]) -> None:
        wanted = set(person_ids) - self._known.keys()
        if wanted:
            self._known.update(dict.fromkeys(wanted))
            self._known.update(tuple(row) for row in self.session.execute(
                select(_PLACES.c.person_id, _PLACES.c.commune_code).where(among(self.session, _PLACES.c.person_id, wanted))))

    def place_of(self, person_id: str) -> Place | None:
        if person_id not in self._known:  # prefetched for the run, mostly
            self.prefetch([person_id])
        commune_code = self._known[person_id]
        return Place(commune_code) if commune_code is not None else None

    def remember(self, person_id: str, commune_code: str) -> bool:
        """False when the person was already placed: a person counts where they first registered."""
        if self.place_of(person_id) is not None:
            return False
        self._known[person_id] = self._new[person_id] = commune_code
        return True

    def write_pending(self) -> None:
        if self._new:
            rows = [{"person_id": person_id, "commune_code": code} for person_id, code in sorted(self._new.items())]
            insert_rows(self.session, _place_insert(_insert(self.session)), rows)
            self._new.clear()


class EarlyEvents:
    """Person facts that arrived before the person's registration, until it places them. A replay
    often reads a person's facts before their registration (topics come in no order between them):
    kept and taken in memory through the transaction, written at its end."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._stored: dict[str, list[tuple[str, str, dict]]] = {}  # rows already in the table, by person
        self._kept: dict[str, dict[str, dict]] = {}  # rows of this transaction, by person then event id
        self._taken: list[str] = []  # stored rows to delete

    def prefetch(self, person_ids: Iterable[str]) -> None:
        wanted = set(person_ids) - self._stored.keys()
        if wanted:
            for person_id in wanted:
                self._stored[person_id] = []
            rows = self.session.execute(select(_EARLY.c.person_id, _EARLY.c.event_id, _EARLY.c.event_type, _EARLY.c.data)
                                        .where(among(self.session, _EARLY.c.person_id, wanted)))
            for person_id, event_id, event_type, data in rows:
                self._stored[person_id].append((event_id, event_type, data))

    def keep(self, event_id: str, person_id: str, event_type: str, data: dict) -> None:
        self._kept.setdefault(person_id, {})[event_id] = {
            "event_id": event_id, "person_id": person_id, "event_type": event_type, "data": data}

    def take(self, person_id: str) -> list[tuple[str, dict]]:
        if person_id not in self._stored:  # prefetched for the run, mostly
            self.prefetch([person_id])
        stored = self._stored[person_id]
        self._stored[person_id] = []
        self._taken.extend(event_id for event_id, _, _ in stored)
        kept = [(row["event_id"], row["event_type"], row["data"]) for row in self._kept.pop(person_id, {}).values()]
        return [(event_type, data) for _, event_type, data in sorted(stored + kept, key=lambda early: early[0])]

    def write_pending(self) -> None:
        kept = [row for rows in self._kept.values() for row in rows.values()]
        insert_rows(self.session, _EARLY.insert(), kept)
        self._kept.clear()
        if self._taken:
            self.session.execute(delete(_EARLY).where(among(self.session, _EARLY.c.event_id, self._taken)))
            self._taken.clear()


class Bookings:
    """First appointments' booking facts by appointment id, read per run and written at its end."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._known: dict[str, dict | None] = {}
        self._changed: set[str] = set()

    def prefetch(self, appointment_ids: Iterable[str]) -> None:
        wanted = set(appointment_ids) - self._known.keys()
        if wanted:
            self._known.update(dict.fromkeys(wanted))
            self._known.update(tuple(row) for row in self.session.execute(
                select(_BOOKINGS.c.appointment_id, _BOOKINGS.c.facts).where(among(self.session, _BOOKINGS.c.appointment_id, wanted))))

    def of(self, appointment_id: str) -> dict | None:
        self.prefetch([appointment_id])
        return self._known[appointment_id]

    def keep(self, appointment_id: str, facts: dict | None) -> None:
        """None: the appointment was cancelled, nothing more to correct."""
        self._known[appointment_id] = facts
        self._changed.add(appointment_id)

    def write_pending(self) -> None:
        if self._changed:
            changed = sorted(self._changed)
            self.session.execute(delete(_BOOKINGS).where(among(self.session, _BOOKINGS.c.appointment_id, changed)))
            kept = [{"appointment_id": key, "facts": self._known[key]} for key in changed if self._known[key] is not None]
            insert_rows(self.session, _BOOKINGS.insert(), kept)
            self._changed.clear()
