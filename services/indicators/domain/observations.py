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

from services.indicators.domain.facts import Contribution, Place
from services.indicators.domain.secrecy import ProtectedTable, SecrecyRule, protect
from services.indicators.domain.territories import NATIONAL, Level, Territories

ALL = "all"  # the breakdown and category of a figure not broken down
REST = "rest"  # the parent's remainder outside the listed children


class Ledger:
    def __init__(self, territories: Territories) -> None:
        self.territories = territories
        self.cells: Counter[tuple[str, str, str, str, str, str, str]] = Counter()

    def add(self, contributions: Iterable[Contribution]) -> None:
        for item in contributions:
            for level, code in self.located(item.place).items():
                for breakdown, category in ((ALL, ALL), *item.categories):
                    self.cells[(item.indicator, item.measure, level.value, code, item.month, breakdown,
                                category)] += item.amount

    def located(self, place: Place) -> dict[Level, str]:
        found = {}
        if place.commune_code:
            found = self.territories.of_commune(place.commune_code)
        if not found and place.departement_code:
            found = self.territories.of_departement(place.departement_code)
        return found or {Level.NATIONAL: NATIONAL}  # a fact with no usable place counts nationally

    def value(self, indicator: str, measure: str, level: Level, code: str, month: str,
              breakdown: str = ALL, category: str = ALL) -> int:
        return self.cells[(indicator, measure, level.value, code, month, breakdown, category)]

    def categories(self, indicator: str, measure: str, breakdown: str) -> list[str]:
        return sorted({key[6] for key in self.cells if key[0] == indicator and key[1] == measure and key[5] == breakdown})


def table(ledger: Ledger, indicator: str, measure: str, parent: tuple[Level, str], month: str,
          breakdown: str, rule: SecrecyRule) -> ProtectedTable:
    """One measure for the children of `parent` by `breakdown` (ALL: a single column), protected."""
    level, code = parent
    children = [child.code for child in ledger.territories.children(level, code)]
    child_level = Level.REGION if level is Level.NATIONAL else Level.DEPARTEMENT if level is Level.REGION \
        else Level.BASSIN
    columns = [ALL] if breakdown == ALL else ledger.categories(indicator, measure, breakdown)
    cells = {}
    for column in columns:
        category = (breakdown, column) if breakdown != ALL else (ALL, ALL)
        parent_value = ledger.value(indicator, measure, level, code, month, *category)
        for child in children:
            cells[(child, column)] = ledger.value(indicator, measure, child_level, child, month, *category)
        cells[(REST, column)] = parent_value - sum(cells[(child, column)] for child in children)
    if not any(cells[(REST, column)] for column in columns):
        cells = {cell: value for cell, value in cells.items() if cell[0] != REST}
    return protect(cells, rule)
