"""Statistical secrecy ("secret statistique") on every figure that leaves the service.

A published table is counts by row (the territories of one level under a parent, the remainder of
the parent included when they do not cover it) and column (a breakdown's categories), with its row
totals, column totals and the parent's total. Two rules:

- primary suppression: a cell counting 1 to `threshold - 1` people is not published. A zero is
  published: it says nobody is in the cell, which discloses no one (the choice is stated with the
  open data, `SecrecyRule.statement`);
- secondary suppression: a suppressed cell must not be recomputable from what is published. Seen as
  a bipartite graph (lines = rows and columns, totals included; a suppressed cell = an edge between
  its row and its column), a suppressed cell is exactly determined by the sums when its edge is on no
  cycle. So every suppressed cell is put on a cycle, by suppressing the cheapest rectangle through it.
  Every suppressed value is then at least 1, so adding then removing 1 alternately around the cycle
  (a row's or column's total taking the opposite sign, which keeps its line's sum) gives another table, non-negative, with the same published figures and a different value in the
  cell: no subtraction of totals, and no bound argument, can rebuild it.

Shares are published only when both their numerator and denominator are.

Limit, not handled yet: each table is protected on its own. A parent's figure withheld in its own
parent's table (say a département's, by secondary suppression in its région's table) could be
recomputed as the sum of its children if they were all published in the child table; the shipped
bassins do not cover their départements and the remainder is never published, so the demo zoning
does not expose it, but a complete zoning would. The fix is to protect the levels together: a margin
withheld upstream forced into the child table and put on a cycle of its interior cells, and a margin
published upstream never used as a corner of a child table's rectangle.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TOTAL = "__total__"
Cell = tuple[str, str]


@dataclass(frozen=True)
class SecrecyRule:
    threshold: int = 11

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("the secrecy threshold counts people: at least 1")

    def is_primary(self, value: int) -> bool:
        return 0 < value < self.threshold

    @property
    def statement(self) -> str:
        return (f"Cells counting 1 to {self.threshold - 1} people are not published (primary suppression); "
                "further cells are withheld so that none of them can be recomputed from its row, column or "
                "parent totals (secondary suppression); a share is withheld when its numerator or denominator "
                "is. Zeros are published.")


@dataclass(frozen=True)
class ProtectedTable:
    """Every cell of the table, margins included (row or column `TOTAL`); None when withheld."""

    values: dict[Cell, int | None]

    def get(self, row: str, column: str = TOTAL) -> int | None:
        return self.values.get((row, column))

    def suppressed(self) -> set[Cell]:
        return {cell for cell, value in self.values.items() if value is None}


def with_margins(cells: Mapping[Cell, int]) -> dict[Cell, int]:
    """The interior cells plus each row's, each column's and the grand total."""
    if any(TOTAL in cell for cell in cells) or any(value < 0 for value in cells.values()):
        raise ValueError("interior cells are non-negative counts outside the margins")
    rows = {row for row, _ in cells}
    columns = {column for _, column in cells}
    full = {(row, column): cells.get((row, column), 0) for row in rows for column in columns}
    for row in rows:
        full[(row, TOTAL)] = sum(full[(row, column)] for column in columns)
    for column in columns:
        full[(TOTAL, column)] = sum(full[(row, column)] for row in rows)
    full[(TOTAL, TOTAL)] = sum(cells.values())
    return full


def protect(cells: Mapping[Cell, int], rule: SecrecyRule) -> ProtectedTable:
    """The table with its margins, primary and secondary suppression applied."""
    grid = with_margins(cells)
    suppressed = {cell for cell, value in grid.items() if rule.is_primary(value)}
    while (exposed := _first_exposed(suppressed)) is not None:
        suppressed |= _cheapest_rectangle(grid, suppressed, exposed)
    return ProtectedTable({cell: None if cell in suppressed else value for cell, value in grid.items()})


def share(numerator: int | None, denominator: int | None) -> float | None:
    """A published share: None when either term is withheld or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _first_exposed(suppressed: set[Cell]) -> Cell | None:
    """A suppressed cell on no cycle of suppressed cells (sorted: the result is deterministic)."""
    return next((cell for cell in sorted(suppressed) if not _on_cycle(suppressed, cell)), None)


def _on_cycle(suppressed: set[Cell], edge: Cell) -> bool:
    # The edge row-column is on a cycle when its column is still reachable from its row without it.
    neighbours: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row, column in suppressed - {edge}:
        neighbours.setdefault(("row", row), set()).add(("column", column))
        neighbours.setdefault(("column", column), set()).add(("row", row))
    start, goal = ("row", edge[0]), ("column", edge[1])
    seen, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for other in neighbours.get(node, set()) - seen:
            seen.add(other)
            frontier.append(other)
    return False


def _cheapest_rectangle(grid: dict[Cell, int], suppressed: set[Cell], cell: Cell) -> set[Cell]:
    """Three more cells closing a rectangle through `cell`, all non-zero (so the cycle can move both
    ways), adding the fewest people to what is withheld. The rectangle through the margins always
    qualifies: a non-zero cell has non-zero row, column and grand totals."""
    row, column = cell
    rows = sorted({r for r, _ in grid} - {row})
    columns = sorted({c for _, c in grid} - {column})
    best: tuple[int, tuple[Cell, ...]] | None = None
    for other_row in rows:
        for other_column in columns:
            corners = ((row, other_column), (other_row, column), (other_row, other_column))
            if any(grid[corner] == 0 for corner in corners):
                continue
            cost = sum(grid[corner] for corner in corners if corner not in suppressed)
            if best is None or cost < best[0]:
                best = (cost, corners)
    if best is None:
        raise AssertionError(f"no rectangle through {cell}: the margins always give one")
    return set(best[1])
