"""What-if: how many people a candidate referential would orient differently, by département."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from services.orientation.domain.model import Person


@dataclass(frozen=True)
class Placement:
    pathway: str | None
    org_id: str | None  # None: a giratoire interview would decide


@dataclass
class Counts:
    population: int = 0
    pathway_changed: int = 0
    organisation_changed: int = 0
    changed: int = 0

    def add(self, before: Placement, after: Placement) -> None:
        self.population += 1
        self.pathway_changed += before.pathway != after.pathway
        self.organisation_changed += before.org_id != after.org_id
        self.changed += before != after


def compare(people: Iterable[Person], current: Callable[[Person], Placement],
            candidate: Callable[[Person], Placement]) -> tuple[Counts, dict[str, Counts]]:
    totals, by_departement = Counts(), defaultdict(Counts)
    for person in people:
        before, after = current(person), candidate(person)
        totals.add(before, after)
        by_departement[person.departement_code].add(before, after)
    return totals, dict(sorted(by_departement.items()))
