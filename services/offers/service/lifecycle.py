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
from services.core.identity import Caller
from services.offers.adapters.orm import OfferRow, OfferSourceRow
from services.offers.adapters.repository import OfferRepository
from services.offers.adapters.search import PUBLISHED
from services.offers.domain import attractiveness
from services.offers.domain.model import Finding, OfferDraft
from services.offers.service.catalog import QUARANTINED
from services.offers.service.events import EXPIRED, FILLED, WITHDRAWN, OfferEvents, rfc3339
from services.offers.service.policy import Forbidden, NotFound, manages


class InvalidTransition(Exception):
    pass


@dataclass
class OfferView:
    row: OfferRow
    findings: list[Finding]
    sources: list[OfferSourceRow]
    manager: bool


class Lifecycle:
    def __init__(self, events: OfferEvents, clock: Callable[[], datetime]) -> None:
        self.events = events
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
            raise InvalidTransition("This offer has no ROME code or no place: it has no peers to compare with.")
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
        row = self._for_change(session, caller, offer_id, check_version)
        now = self.clock()
        self._close(session, row, "filled", now)
        days = (now - row.published_at).total_seconds() / 86400 if row.published_at else None
        self.events.emit(session, FILLED, row, self._sources(session, row), filled_at=rfc3339(now),
                         time_to_fill_days=round(days, 2) if days is not None else None)
        return row

    def withdraw(self, session: Session, caller: Caller, offer_id: str, reason: str | None,
                 check_version: Callable[[int], None]) -> OfferRow:
        row = self._for_change(session, caller, offer_id, check_version, allowed=(PUBLISHED, QUARANTINED))
        now = self.clock()
        self._close(session, row, "withdrawn", now)
        self.events.emit(session, WITHDRAWN, row, self._sources(session, row), withdrawn_at=rfc3339(now),
                         reason=reason)
        return row

    def expire_due(self, db: Database, now: datetime) -> int:
        """Close published offers past their end date (`ends_on` is their last open day)."""
        expired = 0
        while True:
            with db.transaction() as session:
                repo = OfferRepository(session)
                due = repo.expiring(now.date(), limit=200)
                for seq in due:
                    row = repo.get_by_seq(seq, for_update=True)
                    if row is None or row.status != PUBLISHED:
                        continue  # closed meanwhile by a request or another replica
                    self._close(session, row, "expired", now)
                    self.events.emit(session, EXPIRED, row, self._sources(session, row), expired_at=rfc3339(now))
                    expired += 1
            if len(due) < 200:
                return expired

    def _close(self, session: Session, row: OfferRow, status: str, now: datetime) -> None:
        row.status, row.closed_at, row.updated_at = status, now, now
        row.version += 1
        session.flush()
        OfferRepository(session).file_under({row.seq: ()}, new=False)  # no longer a dedup candidate

    def _sources(self, session: Session, row: OfferRow) -> int:
        return len(OfferRepository(session).sources_of(row.seq))

    def _for_change(self, session: Session, caller: Caller, offer_id: str, check_version: Callable[[int], None],
                    allowed: tuple[str, ...] = (PUBLISHED,)) -> OfferRow:
        repo = OfferRepository(session)
        row = self._visible(repo, caller, offer_id, for_update=True)
        if not manages(caller, row.owner_org_id, row.employer_siret):
            raise Forbidden("Only the organisation that published this offer, or its employer, may change it.")
        check_version(row.version)
        if row.status not in allowed:
            raise InvalidTransition(f"This offer is {row.status}: it can no longer change that way.")
        return row

    def _visible(self, repo: OfferRepository, caller: Caller, offer_id: str, for_update: bool = False) -> OfferRow:
        row = repo.get(offer_id, for_update=for_update)
        if row is None or (row.status == QUARANTINED and not manages(caller, row.owner_org_id, row.employer_siret)):
            raise NotFound()
        return row
