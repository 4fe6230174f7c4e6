"""The directory of accompanying organisations: which one of a type is competent for a commune."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Organisation:
    org_id: str
    org_type: str
    name: str
    departements: tuple[str, ...]
    communes: tuple[str, ...] = ()  # when set, the organisation serves only these communes


class Directory:
    def __init__(self, organisations: list[Organisation]) -> None:
        self.organisations = sorted(organisations, key=lambda o: o.org_id)
        self._by_id = {o.org_id: o for o in self.organisations}

    def get(self, org_id: str) -> Organisation | None:
        return self._by_id.get(org_id)

    def competent(self, org_type: str, commune_code: str, departement_code: str) -> Organisation | None:
        """An organisation naming the commune wins over one serving the whole département; ties go
        to the smallest org_id, so the answer is stable."""
        candidates = [o for o in self.organisations if o.org_type == org_type and departement_code in o.departements]
        by_commune = [o for o in candidates if commune_code in o.communes]
        whole = [o for o in candidates if not o.communes]
        chosen = by_commune or whole
        return chosen[0] if chosen else None
