"""Who may publish what, and who may act on an offer (object-level rules).

- An employer (its token carries its SIRET) publishes only offers of that SIRET.
- A job board or a temp agency (its token carries its `offer_source`) publishes only under that source,
  for the employers whose offers it carries.
- Any other publisher publishes under its organisation id as source.
An offer is managed (filled, withdrawn, its quarantine read) by the organisation that first published
it, by the employer whose SIRET it bears, and by platform administrators.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from services.core.errors import Forbidden, NotFound
from services.core.identity import Caller
from services.offers.domain.model import OfferDraft

R = TypeVar("R")


@dataclass(frozen=True)
class Publisher:
    org_id: str
    org_type: str
    client_id: str
    siret: str | None = None
    offer_source: str | None = None
    admin: bool = False

    @classmethod
    def of(cls, caller: Caller) -> "Publisher":
        return cls(caller.org_id, caller.org_type, caller.client_id, caller.siret, caller.offer_source,
                   caller.is_admin)

    @property
    def source(self) -> str:
        """The `source` of what this publisher deposits: re-sending the same source_offer_id updates it."""
        return self.offer_source or self.org_id

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Publisher":
        return cls(**data)

    def prefill(self, native: dict[str, Any]) -> dict[str, Any]:
        """An employer need not repeat its SIRET in every offer: its token says it."""
        employer = native.get("employer")
        if self.siret and isinstance(employer, dict) and not employer.get("siret"):
            return {**native, "employer": {**employer, "siret": self.siret}}
        return native

    def check(self, draft: OfferDraft) -> None:
        if self.org_type == "employer" and not self.siret:
            raise Forbidden("Your client has no SIRET on record; ask the platform team to register it.", field="body")
        if self.siret and draft.employer.siret != self.siret:
            raise Forbidden(f"An employer publishes only its own offers: this one names SIRET "
                            f"{draft.employer.siret}, yours is {self.siret}.", field="employer.siret")


def own_record(caller: Caller, row: R | None, unknown: str) -> R:
    """A record an organisation keeps for itself (an import job, a saved search): its own, or any
    for a platform administrator; anything else is NotFound, saying `unknown`."""
    if row is None or (row.org_id != caller.org_id and not caller.is_admin):
        raise NotFound(unknown)
    return row


def manages(caller: Caller, owner_org_id: str, employer_siret: str | None) -> bool:
    return (caller.is_admin or caller.org_id == owner_org_id
            or (caller.siret is not None and caller.siret == employer_siret))
