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
  cycle. So every suppressed cell is put on a cycle, by also suppressing the cells of the cheapest
  path (fewest people newly withheld) from its column back to its row, through non-zero cells only.
  Every suppressed value is then at least 1, so adding then removing 1 alternately around the cycle
  (a row's or column's total taking the opposite sign, which keeps its line's sum) gives another
  table, non-negative, with the same published figures and a different value in the cell: no
  subtraction of totals, and no bound argument, can rebuild it.

Shares are published only when both their numerator and denominator are.

Levels are protected together, top down. A child table's total row is its parent's row in the table
one level up, already protected there: a cell withheld upstream is withheld here too and put on a
cycle of this table, and a cell published upstream is never withheld here (it is known) nor used on
a cycle. Otherwise a département withheld in its région's table could be rebuilt as the sum of its
bassins, or a bassin's withheld figure as its published département's less its published siblings.
"""
from __future__ import annotations

import heapq
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

    @property
    def statement_fr(self) -> str:
        """The same rule for the dashboards, which speak to the public in French."""
        return (f"Les effectifs de 1 à {self.threshold - 1} personnes ne sont pas publiés (secret primaire) ; "
                "d'autres cases sont masquées pour qu'aucune ne puisse être recalculée à partir des totaux de "
                "sa ligne, de sa colonne ou du territoire qui la contient (secret secondaire) ; une part est "
                "masquée quand son numérateur ou son dénominateur l'est. Les zéros sont publiés.")


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


def protect(cells: Mapping[Cell, int], rule: SecrecyRule,
            upstream: Mapping[str, int | None] | None = None) -> ProtectedTable:
    """The table with its margins, primary and secondary suppression applied. `upstream`: the
    parent's row as the table one level up published it, by column (TOTAL included), None where
    withheld; this table's total row must agree with it."""
    grid = with_margins(cells)
    known = {(TOTAL, column) for column, value in (upstream or {}).items() if value is not None}
    forced = {(TOTAL, column) for column, value in (upstream or {}).items() if value is None}
    suppressed = {cell for cell, value in grid.items() if rule.is_primary(value) and cell not in known}
    suppressed |= forced & grid.keys()
    while (exposed := _first_exposed(suppressed)) is not None:
        path = _cheapest_path(grid, suppressed | known, suppressed, exposed)
        if path is None:  # no cycle can hide it here: withhold all that this table may withhold
            suppressed |= {cell for cell, value in grid.items() if value and cell not in known}
            break
        suppressed |= path
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


def _cheapest_path(grid: dict[Cell, int], settled: set[Cell], suppressed: set[Cell], cell: Cell) -> set[Cell] | None:
    """Cells joining `cell`'s column back to its row without it (Dijkstra over the lines), through
    non-zero cells that are withheld already (free) or may be (their value: the people newly withheld);
    None when there is no such path. A published cell of the table is a candidate; a cell `settled`
    (published upstream) is not."""
    edges: dict[tuple[str, str], list[tuple[tuple[str, str], Cell]]] = {}
    for candidate, value in grid.items():
        if candidate == cell or value == 0 or (candidate in settled and candidate not in suppressed):
            continue
        row, column = ("row", candidate[0]), ("column", candidate[1])
        edges.setdefault(row, []).append((column, candidate))
        edges.setdefault(column, []).append((row, candidate))
    start, goal = ("column", cell[1]), ("row", cell[0])
    best: dict[tuple[str, str], tuple[int, list[Cell]]] = {start: (0, [])}
    frontier = [(0, start)]
    while frontier:
        cost, line = heapq.heappop(frontier)
        if line == goal:
            return set(best[line][1])
        if cost > best[line][0]:
            continue
        for other, through in sorted(edges.get(line, [])):
            step = cost + (0 if through in suppressed else grid[through])
            if other not in best or step < best[other][0]:
                best[other] = (step, [*best[line][1], through])
                heapq.heappush(frontier, (step, other))
    return None
