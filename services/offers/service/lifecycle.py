"""Reading an offer and moving it through its life: published → filled | withdrawn | expired.

Quarantined offers are seen only by those who manage them (publisher, employer, administrators);
everyone else gets the same 404 as for an unknown id. Each change is an event of its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.core.db import Database
from services.core.errors import Conflict, Forbidden, NotFound
from services.core.identity import Caller
from services.core.outbox import Outbox
from services.core.uow import OutboxEvents
from services.offers.adapters.orm import OfferRow, OfferSourceRow
from services.offers.adapters.repository import OfferRepository, offer_of, store_state
from services.offers.domain import attractiveness
from services.offers.domain.model import Finding, OfferDraft
from services.offers.domain.offer import Offer, OfferStatus
from services.offers.service.events import publish
from services.offers.service.policy import manages

NOT_VISIBLE = "No offer with this id is visible to your organisation."
EXPIRY_BATCH = 200


@dataclass
class OfferView:
    row: OfferRow
    findings: list[Finding]
    sources: list[OfferSourceRow]
    manager: bool


class Lifecycle:
    def __init__(self, outbox: Outbox, clock: Callable[[], datetime]) -> None:
        self.outbox = outbox
        self.clock = clock

    # -- reads ---------------------------------------------------------------------------------
    def view(self, session: Session, caller: Caller, offer_id: str) -> OfferView:
        repo = OfferRepository(session)
        row = self._visible(repo, caller, offer_id)
        return OfferView(row, repo.findings_of(row.seq), repo.sources_of(row.seq),
                         manages(caller, row.owner_org_id, row.employer_siret))

    def attractiveness(self, session: Session, caller: Caller, offer_id: str) -> tuple[OfferRow, int, dict]:
        repo = OfferRepository(session)
        row = self._visible(repo, caller, offer_id)
        if row.rome_code is None or row.departement_code is None:
            raise Conflict("This offer has no ROME code or no place: it has no peers to compare with.")
        peers = repo.peers(row.rome_code, row.departement_code, row.seq)
        comparison = attractiveness.compare(
            OfferDraft.from_dict(row.draft), salaries=[salary for salary, *_ in peers if salary is not None],
            # an open-ended contract (CDI) counts as None: longer than any duration
            durations=[None if kind == "CDI" else months for _, kind, months, _ in peers
                       if kind == "CDI" or months is not None],
            weekly_hours=[hours for *_, hours in peers if hours is not None])
        return row, len(peers), comparison

    # -- changes -------------------------------------------------------------------------------
    def fill(self, session: Session, caller: Caller, offer_id: str, check_version: Callable[[int], None]) -> OfferRow:
        row, offer = self._for_change(session, caller, offer_id, check_version)
        offer.fill(self.clock())
        self._close(session, row, offer)
        return row

    def withdraw(self, session: Session, caller: Caller, offer_id: str, reason: str | None,
                 check_version: Callable[[int], None]) -> OfferRow:
        row, offer = self._for_change(session, caller, offer_id, check_version)
        offer.withdraw(reason, self.clock())
        self._close(session, row, offer)
        return row

    def expire_due(self, db: Database, now: datetime) -> int:
        """Close published offers past their end date (`ends_on` is their last open day)."""
        expired = 0
        while True:
            with db.transaction() as session:
                repo = OfferRepository(session)
                due = repo.expiring(now.date(), limit=EXPIRY_BATCH)
                for seq in due:
                    row = repo.get_by_seq(seq, for_update=True)
                    if row is None or row.status != OfferStatus.PUBLISHED:
                        continue  # closed meanwhile by a request or another replica
                    offer = offer_of(row)
                    offer.expire(now)
                    self._close(session, row, offer)
                    expired += 1
            if len(due) < EXPIRY_BATCH:
                return expired

    def _close(self, session: Session, row: OfferRow, offer: Offer) -> None:
        repo = OfferRepository(session)
        store_state(row, offer)
        session.flush()
        repo.file_under({row.seq: ()}, new=False)  # no longer a dedup candidate
        publish(OutboxEvents(session, self.outbox), [(offer, len(repo.sources_of(row.seq)))])

    def _for_change(self, session: Session, caller: Caller, offer_id: str,
                    check_version: Callable[[int], None]) -> tuple[OfferRow, Offer]:
        row = self._visible(OfferRepository(session), caller, offer_id, for_update=True)
        if not manages(caller, row.owner_org_id, row.employer_siret):
            raise Forbidden("Only the organisation that published this offer, or its employer, may change it.",
                            field="body")
        check_version(row.version)
        return row, offer_of(row)

    def _visible(self, repo: OfferRepository, caller: Caller, offer_id: str, for_update: bool = False) -> OfferRow:
        row = repo.get(offer_id, for_update=for_update)
        if row is None or (row.status == OfferStatus.QUARANTINED
                           and not manages(caller, row.owner_org_id, row.employer_siret)):
            raise NotFound(NOT_VISIBLE)
        return row
