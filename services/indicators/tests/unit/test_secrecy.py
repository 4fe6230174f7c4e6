"""Secrecy: generated small populations, and proof that no withheld value can be rebuilt.

Two independent attacks on every protected table: exact linear algebra over the published sums
(a withheld cell whose unit vector lies in the row space of the constraints is determined), and the
bound attack (another non-negative table with the same published figures and a different value in
the cell must exist: one is built and checked line by line).
"""
from __future__ import annotations

import random
from fractions import Fraction

import pytest

from services.indicators.domain.secrecy import TOTAL, SecrecyRule, protect, share, with_margins

RULE = SecrecyRule()


def population(seed: int) -> dict[tuple[str, str], int]:
    """People of a few territories by a breakdown's categories: mostly small cells, some zeros."""
    chance = random.Random(seed)
    rows = [f"t{index}" for index in range(chance.randint(1, 6))]
    columns = [f"c{index}" for index in range(chance.randint(1, 5))]
    return {(row, column): chance.choice([0, 0, 1, 2, 3, 5, 8, 10, 11, 12, 20, 40, 150])
            for row in rows for column in columns}


def lines(grid):
    """Each row and column with its total: sum of the line's cells = the line's total cell."""
    rows = {row for row, _ in grid} - {TOTAL}
    columns = {column for _, column in grid} - {TOTAL}
    for row in rows | {TOTAL}:
        yield [(row, column) for column in columns], (row, TOTAL)
    for column in columns | {TOTAL}:
        yield [(row, column) for row in rows], (TOTAL, column)


def determined_cells(published, grid) -> set:
    """Withheld cells the published sums determine exactly (Gaussian elimination over rationals)."""
    unknown = sorted(cell for cell, value in published.items() if value is None)
    index = {cell: position for position, cell in enumerate(unknown)}
    equations = []
    for members, total in lines(grid):
        coefficients = [Fraction(0)] * len(unknown)
        for cell, sign in [(member, 1) for member in members] + [(total, -1)]:
            if cell in index:
                coefficients[index[cell]] += sign
        if any(coefficients):
            equations.append(coefficients)
    pivots = _row_reduce(equations, len(unknown))
    # x_i is determined when its pivot row has no free variable left in it.
    return {unknown[column] for column, row in pivots.items()
            if all(row[other] == 0 for other in range(len(unknown)) if other != column and other not in pivots)}


def _row_reduce(matrix, width):
    pivots, rows = {}, [list(row) for row in matrix]
    lead = 0
    for column in range(width):
        found = next((r for r in range(lead, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[lead], rows[found] = rows[found], rows[lead]
        rows[lead] = [value / rows[lead][column] for value in rows[lead]]
        for other in range(len(rows)):
            if other != lead and rows[other][column] != 0:
                factor = rows[other][column]
                rows[other] = [a - factor * b for a, b in zip(rows[other], rows[lead])]
        pivots[column] = lead
        lead += 1
    return {column: rows[row] for column, row in pivots.items()}


def alternative_exists(published, grid, target) -> bool:
    """Another non-negative table agreeing on every published cell and sum, differing at `target`:
    +1 on the target, then -1 / +1 alternately along a path of withheld cells from its column back to
    its row (margins with the opposite sign), checked against every line of the table (not against the algorithm's own reasoning)."""
    withheld = {cell for cell, value in published.items() if value is None} - {target}
    for path in _paths(withheld, ("column", target[1]), ("row", target[0])):
        moved = dict(grid)
        moved[target] += _orientation(target)
        for step, cell in enumerate(path):
            moved[cell] += (-1 if step % 2 == 0 else 1) * _orientation(cell)
        if min(moved.values()) >= 0 and consistent(moved):
            return True
    return False


def _orientation(cell) -> int:
    # With a row's or a column's total negated, every line of the table sums to zero, so a cycle's
    # alternate +1/-1 keeps every sum; the grand total is negated twice.
    return -1 if (cell[0] == TOTAL) != (cell[1] == TOTAL) else 1


def _paths(cells, start, goal, seen=frozenset()):
    """Simple paths of cells between a line and another (a cell joins its row and its column)."""
    if start == goal:
        yield []
        return
    kind, key = start
    for cell in sorted(cells):
        if (cell[1] if kind == "column" else cell[0]) != key:
            continue
        other = ("row", cell[0]) if kind == "column" else ("column", cell[1])
        if other in seen:
            continue
        for rest in _paths(cells - {cell}, other, goal, seen | {start}):
            yield [cell, *rest]


def consistent(grid) -> bool:
    return all(sum(grid[cell] for cell in members) == grid[total] for members, total in lines(grid))


@pytest.mark.parametrize("seed", range(150))
def test_no_withheld_value_is_rebuilt_from_the_published_sums(seed):
    cells = population(seed)
    grid = with_margins(cells)
    published = protect(cells, RULE).values

    assert all(value is None or value == 0 or value >= RULE.threshold for value in published.values())
    assert all(published[cell] is None for cell, value in grid.items() if 0 < value < RULE.threshold)
    assert determined_cells(published, grid) == set()
    assert all(published[cell] == grid[cell] for cell in published if published[cell] is not None)


@pytest.mark.parametrize("seed", range(40))
def test_each_withheld_value_has_another_possible_value(seed):
    cells = population(seed)
    grid = with_margins(cells)
    published = protect(cells, RULE).values
    withheld = [cell for cell, value in published.items() if value is None]
    assert all(alternative_exists(published, grid, cell) for cell in withheld)


def test_the_attacks_find_a_cell_left_alone_in_its_row():
    # Without secondary suppression, 5 = 30 - 25: the linear attack must see it (the test can fail).
    cells = {("a", "x"): 5, ("a", "y"): 25, ("b", "x"): 40, ("b", "y"): 50}
    grid = with_margins(cells)
    naive = {cell: None if 0 < value < 11 else value for cell, value in grid.items()}
    assert ("a", "x") in determined_cells(naive, grid)
    assert not alternative_exists(naive, grid, ("a", "x"))


def test_a_small_cell_withholds_a_rectangle_and_nothing_in_large_tables_otherwise():
    cells = {("a", "x"): 5, ("a", "y"): 25, ("b", "x"): 40, ("b", "y"): 50}
    table = protect(cells, RULE)
    assert table.suppressed() == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert table.get(TOTAL) == 120
    assert protect({("a", "x"): 40, ("b", "x"): 12}, RULE).suppressed() == set()


def test_zeros_are_published_and_the_threshold_is_configurable():
    table = protect({("a", "x"): 0, ("a", "y"): 3, ("b", "x"): 0, ("b", "y"): 4}, SecrecyRule(threshold=3))
    assert table.get("a", "x") == 0
    assert table.get("a", "y") == 3 and table.get("b", "y") == 4
    with pytest.raises(ValueError):
        SecrecyRule(threshold=0)


def test_a_share_is_withheld_with_either_of_its_terms():
    assert share(12, 48) == 0.25
    assert share(None, 48) is None and share(12, None) is None and share(0, 0) is None


# -- levels protected together ------------------------------------------------------------------
def hierarchy(seed: int) -> dict[str, dict[tuple[str, str], int]]:
    """A parent's children by column, per parent (rows of the upper table): small cells mostly."""
    chance = random.Random(seed)
    columns = [f"c{index}" for index in range(chance.randint(1, 3))]
    return {f"p{parent}": {(f"p{parent}.k{child}", column): chance.choice([0, 1, 2, 3, 5, 8, 12, 20, 40])
                           for child in range(chance.randint(1, 4)) for column in columns}
            for parent in range(chance.randint(2, 4))}


def protect_levels(children_of: dict[str, dict[tuple[str, str], int]]):
    """The upper table (rows: the parents), then each parent's table given its protected row."""
    upper_cells = {(parent, column): 0 for parent, cells in children_of.items() for (_, column) in cells}
    for parent, cells in children_of.items():
        for (_, column), value in cells.items():
            upper_cells[(parent, column)] += value
    upper = protect(upper_cells, RULE)
    tables = {"upper": (upper.values, with_margins(upper_cells), lambda cell: cell)}
    for parent, cells in children_of.items():
        row = {column: upper.get(parent, column) for (_, column) in [*cells, ("", TOTAL)]}
        lower = protect(cells, RULE, upstream=row)
        # The lower table's total row is the parent's row of the upper table: one unknown, two names.
        tables[parent] = (lower.values, with_margins(cells),
                          lambda cell, parent=parent: (parent, cell[1]) if cell[0] == TOTAL else cell)
    return tables


def jointly_determined(tables) -> set:
    """Withheld cells that every table's sums, solved together, determine exactly."""
    unknown = sorted({name(cell) for published, _, name in tables.values()
                      for cell, value in published.items() if value is None})
    index = {cell: position for position, cell in enumerate(unknown)}
    equations = []
    for _, grid, name in tables.values():
        for members, total in lines(grid):
            coefficients = [Fraction(0)] * len(unknown)
            for cell, sign in [(member, 1) for member in members] + [(total, -1)]:
                if name(cell) in index:
                    coefficients[index[name(cell)]] += sign
            if any(coefficients):
                equations.append(coefficients)
    pivots = _row_reduce(equations, len(unknown))
    return {unknown[column] for column, row in pivots.items()
            if all(row[other] == 0 for other in range(len(unknown)) if other != column and other not in pivots)}


@pytest.mark.parametrize("seed", range(120))
def test_no_withheld_value_is_rebuilt_from_the_tables_of_two_levels_together(seed):
    tables = protect_levels(hierarchy(seed))
    published = {}
    for values, grid, name in tables.values():
        for cell, value in values.items():
            assert value is None or value == grid[cell]
            assert published.setdefault(name(cell), value) == value  # one figure, one answer at both levels
    assert jointly_determined(tables) == set()


def test_the_joint_attack_finds_a_parent_rebuilt_from_its_children_when_levels_are_protected_apart():
    # The attack can fail: protected apart, p1's table publishes its only child's 40, which is p1's
    # figure the upper table withheld to hide p0's 7 (47 - 40).
    children_of = {"p0": {("p0.k0", "c0"): 4, ("p0.k1", "c0"): 3}, "p1": {("p1.k0", "c0"): 40}}
    tables = protect_levels(children_of)
    apart = dict(tables)
    for parent, cells in children_of.items():
        apart[parent] = (protect(cells, RULE).values, with_margins(cells), tables[parent][2])
    assert ("p0", "c0") in jointly_determined(apart)
    assert jointly_determined(tables) == set()


def test_the_published_statements_name_the_configured_threshold_in_english_and_in_french():
    rule = SecrecyRule(threshold=5)
    assert "1 to 4 people are not published" in rule.statement
    assert rule.statement_fr.startswith("Les effectifs de 1 à 4 personnes ne sont pas publiés")
