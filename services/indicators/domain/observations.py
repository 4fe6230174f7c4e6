"""Indicator state per territory and month, and the tables published from it.

A `Ledger` sums contributions at every level a fact counts in (its commune, bassin, département,
région and the nation), by each breakdown and in total. A published table cuts one measure of one
indicator for one month: rows are the territories one level below a parent (with the remainder of
the parent when they do not cover it, as bassins do not), columns a breakdown's categories; the
parent's figures are its margins, and secrecy is applied to the whole.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from services.indicators.domain.definitions import IndicatorDefinition, Unit
from services.indicators.domain.facts import COUNT, DENOMINATOR, NUMERATOR, SUM, Contribution, Place
from services.indicators.domain.secrecy import TOTAL, ProtectedTable, SecrecyRule, protect, share
from services.indicators.domain.territories import NATIONAL, Level, Territories

ALL = "all"  # the breakdown and category of a figure not broken down
REST = "rest"  # the parent's remainder outside the listed children


CellKey = tuple[str, str, str, str, str, str, str]  # indicator, measure, level, territory, month, breakdown, category


def located(territories: Territories, place: Place) -> dict[Level, str]:
    found = {}
    if place.commune_code:
        found = territories.of_commune(place.commune_code)
    if not found and place.departement_code:
        found = territories.of_departement(place.departement_code)
    return found or {Level.NATIONAL: NATIONAL}  # a fact with no usable place counts nationally


@lru_cache(maxsize=1 << 16)  # every commune and département, with room to spare
def _levels(territories: Territories, place: Place) -> tuple[tuple[str, str], ...]:
    """`located` as (level, code) pairs, looked up once per place: a replay expands a million facts
    into a few thousand places, and the lookup was a third of the expansion."""
    return tuple((level.value, code) for level, code in located(territories, place).items())


def expand(territories: Territories, contributions: Iterable[Contribution],
           into: Counter[CellKey] | None = None) -> Counter[CellKey]:
    """The cells the contributions add to: every level the place counts in, in total and by breakdown.
    `into`: the cells to add them to (a transaction's sum), rather than new ones."""
    cells: Counter[CellKey] = Counter() if into is None else into
    for item in contributions:
        breakdowns = ((ALL, ALL), *item.categories)
        for level, code in _levels(territories, item.place):
            for breakdown, category in breakdowns:
                cells[(item.indicator, item.measure, level, code, item.month, breakdown, category)] += item.amount
    return cells


class Ledger:
    def __init__(self, territories: Territories, cells: Counter[CellKey] | None = None) -> None:
        self.territories = territories
        self.cells: Counter[CellKey] = cells if cells is not None else Counter()

    def add(self, contributions: Iterable[Contribution]) -> None:
        self.cells.update(expand(self.territories, contributions))

    def located(self, place: Place) -> dict[Level, str]:
        return located(self.territories, place)

    def value(self, indicator: str, measure: str, level: Level, code: str, month: str,
              breakdown: str = ALL, category: str = ALL) -> int:
        return self.cells[(indicator, measure, level.value, code, month, breakdown, category)]

    def categories(self, indicator: str, measure: str, breakdown: str) -> list[str]:
        return sorted({key[6] for key in self.cells if key[0] == indicator and key[1] == measure and key[5] == breakdown})


class Tables:
    """The protected tables of one measure of one indicator for one month and breakdown, each
    parent's computed once, after the table one level up: levels are protected together
    (secrecy.py), the parent's row there fixing this table's total row."""

    def __init__(self, ledger: Ledger, indicator: str, measure: str, month: str, breakdown: str,
                 rule: SecrecyRule) -> None:
        self.ledger, self.indicator, self.measure, self.month, self.breakdown, self.rule = (
            ledger, indicator, measure, month, breakdown, rule)
        self.columns = [ALL] if breakdown == ALL else ledger.categories(indicator, measure, breakdown)
        self._protected: dict[tuple[Level, str], ProtectedTable] = {}

    def of(self, parent: tuple[Level, str]) -> ProtectedTable:
        """The children of `parent` by the breakdown (ALL: a single column), protected."""
        if parent not in self._protected:
            territory = self.ledger.territories.find(*parent)
            upstream = None
            if territory is not None and territory.parent is not None:
                above = self.of(territory.parent)
                upstream = {column: above.get(parent[1], column) for column in (*self.columns, TOTAL)}
            self._protected[parent] = protect(self._cells(parent), self.rule, upstream)
        return self._protected[parent]

    def _cells(self, parent: tuple[Level, str]) -> dict[tuple[str, str], int]:
        level, code = parent
        children = [child.code for child in self.ledger.territories.children(level, code)]
        child_level = Level.REGION if level is Level.NATIONAL else Level.DEPARTEMENT if level is Level.REGION \
            else Level.BASSIN
        cells = {}
        for column in self.columns:
            category = (self.breakdown, column) if self.breakdown != ALL else (ALL, ALL)
            parent_value = self.ledger.value(self.indicator, self.measure, level, code, self.month, *category)
            for child in children:
                cells[(child, column)] = self.ledger.value(self.indicator, self.measure, child_level, child,
                                                           self.month, *category)
            cells[(REST, column)] = parent_value - sum(cells[(child, column)] for child in children)
        if not any(cells[(REST, column)] for column in self.columns):
            cells = {cell: value for cell, value in cells.items() if cell[0] != REST}
        return cells


MEASURES = {Unit.PEOPLE: (COUNT,), Unit.OFFERS: (COUNT,), Unit.SHARE: (NUMERATOR, DENOMINATOR), Unit.DAYS: (COUNT, SUM)}
OPEN = SecrecyRule(threshold=1)  # nothing withheld: an internal reader's own territories


def tables(ledger: Ledger, definition: IndicatorDefinition, month: str, breakdown: str,
           rule: SecrecyRule) -> dict[str, Tables]:
    return {measure: Tables(ledger, definition.code, measure, month, breakdown, rule)
            for measure in MEASURES[definition.unit]}


def figures(ledger: Ledger, definition: IndicatorDefinition, level: Level, code: str, month: str, breakdown: str,
            rule: SecrecyRule, protected: dict[str, Tables] | None = None) -> list[dict]:
    """The territory's figures for the month, one per category (ALL without a breakdown), each term
    taken from the territory's row of its parent's protected table (the nation: that table's totals).
    `protected`: the tables of this month and breakdown, when other territories' figures use them too."""
    territory = ledger.territories.find(level, code)
    if territory is None:
        return []
    parent, row = (territory.parent, code) if territory.parent else ((level, code), TOTAL)
    protected = protected or tables(ledger, definition, month, breakdown, rule)
    terms = {measure: protected[measure].of(parent) for measure in MEASURES[definition.unit]}
    columns = [ALL] if breakdown == ALL else sorted(
        {column for protected in terms.values() for (_, column) in protected.values if column != TOTAL})
    found = []
    for column in columns:
        key = TOTAL if breakdown == ALL else column
        values = {measure: protected.get(row, key) for measure, protected in terms.items()}
        found.append({"month": month, "category": column, **_value(definition.unit, values)})
    return found


def _value(unit: Unit, values: dict[str, int | None]) -> dict:
    if unit is Unit.SHARE:
        return {"numerator": values[NUMERATOR], "denominator": values[DENOMINATOR],
                "value": share(values[NUMERATOR], values[DENOMINATOR])}
    if unit is Unit.DAYS:
        # The mean of days is published with the count it is over, and withheld with it.
        count, total = values[COUNT], values[SUM]
        return {"count": count, "value": None if not count or total is None else round(total / count, 1)}
    return {"value": values[COUNT]}


def months_between(start: str, end: str) -> list[str]:
    """Every YYYY-MM from `start` to `end` included; empty when `end` comes first."""
    year, month = int(start[:4]), int(start[5:])
    found = []
    while f"{year:04d}-{month:02d}" <= end and len(found) <= 1200:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def export_rows(ledger: Ledger, definition: IndicatorDefinition, level: Level, month: str,
                rule: SecrecyRule) -> list[dict]:
    """The open data of one indicator, level and month: every territory of the level, protected."""
    protected = tables(ledger, definition, month, ALL, rule)
    return [{"territory": territory.code, "name": territory.name, **figure}
            for territory in ledger.territories.at_level(level)
            for figure in figures(ledger, definition, level, territory.code, month, ALL, rule, protected)]
