"""Saved searches for a person (Proposition #19): each new published offer that matches one is sent
once to that person, as `offers.match.found.v1` on offers.matches.v1.

Matching runs off the service's own `published` events (consumers.py), not inside the ingest
transaction, so a bulk import never waits on thousands of saved searches. A new offer is compared
only with the searches sharing one of its candidate keys (its ROME, its département, or none), and
the domain's `matches` decides. Criteria are stored normalised, as the domain's `SavedSearch` writes
them. A saved search belongs to the organisation that created it.

The person a search names must be one its organisation may know (the platform's rule,
`services.core.person_policy`, on the facts this service projects from registration and orientation
events): saving, listing or reading a search for any other person answers 404, as reading that person
would. Visibility changes (a person moves, turns 26, gets another referent), so every match checks it
again and sends nothing to a person the subscriber may no longer know.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.errors import NotFound, RuleBroken
from services.core.identity import Caller
from services.core.outbox import Outbox
from services.core.person_facts import PersonFactsRepository
from services.core.person_policy import may_know
from services.core.uow import OutboxEvents
from services.offers.adapters.orm import MatchRow, OfferRow, SubscriptionKeyRow, SubscriptionRow
from services.offers.domain.model import OfferDraft
from services.offers.domain.offer import OfferStatus
from services.offers.domain.subscriptions import InvalidSearch, SavedSearch, matches
from services.offers.published import MATCH_FOUND
from services.offers.service.accesses import tell_access
from services.offers.service.events import rfc3339
from services.offers.service.policy import own_record

# Asked for every published offer: plain SQL, at a third of the cost of the ORM's select.
_FILED_UNDER = sa.text("SELECT DISTINCT subscription_id FROM offer_subscription_keys WHERE key IN :keys").bindparams(
    sa.bindparam("keys", expanding=True))
NOT_YOURS = "No saved search of your organisation has this id."
NOT_VISIBLE = "No person with this id is visible to your organisation."
# The offers a person's saved search lists, newest first: the rest are counted, not listed.
MATCHES_SHOWN = 50


@dataclass(frozen=True)
class Subscriber:
    """The organisation that saved a search, as stored with it for the checks at match time."""

    org_id: str
    org_type: str
    territories: tuple[str, ...]

    @classmethod
    def of(cls, row: SubscriptionRow) -> "Subscriber":
        return cls(row.org_id, row.org_type, tuple(row.org_territories))


class Subscriptions:
    def __init__(self, outbox: Outbox, clock: Callable[[], datetime]) -> None:
        self.outbox = outbox
        self.clock = clock

    def create(self, session: Session, caller: Caller, subscription_id: str, person_id: str,
               criteria: dict[str, Any]) -> SubscriptionRow:
        try:
            search = SavedSearch.checked(criteria)
        except InvalidSearch as exc:
            raise RuleBroken("The saved search's criteria are not valid.",
                             errors=[{**e, "field": f"criteria.{e['field']}"} for e in exc.errors]) from exc
        self._check_visible(session, caller, person_id)
        row = SubscriptionRow(id=subscription_id, person_id=person_id, org_id=caller.org_id, org_type=caller.org_type,
                              org_territories=list(caller.territories), created_by=caller.client_id, criteria=search.to_dict(), created_at=self.clock())
        session.add(row)
        session.flush()
        session.add_all(SubscriptionKeyRow(key=key, subscription_id=row.id) for key in search.candidate_keys())
        session.flush()
        self._tell(session, caller, [person_id], "save_search")
        return row

    def get(self, session: Session, caller: Caller, subscription_id: str) -> SubscriptionRow:
        """One of the organisation's searches, for a person it may still know."""
        row = self.own(session, caller, subscription_id)
        if not self.visible(session, caller, row.person_id):
            raise NotFound(NOT_YOURS)
        self._tell(session, caller, [row.person_id], "read_saved_search")
        return row

    def own(self, session: Session, caller: Caller, subscription_id: str) -> SubscriptionRow:
        """One of the organisation's searches, whoever it names: enough to stop it."""
        return own_record(caller, session.get(SubscriptionRow, subscription_id), NOT_YOURS)

    def page(self, session: Session, caller: Caller, person_id: str | None, after: tuple[datetime, str] | None,
             limit: int) -> tuple[list[SubscriptionRow], SubscriptionRow | None]:
        """Newest first; `after` is the (created_at, id) of the previous page's last search. Returns the
        searches naming a person the caller may still know, and the page's last row (the cursor)."""
        if person_id:
            self._check_visible(session, caller, person_id)
        s = SubscriptionRow
        statement = sa.select(s).where(s.org_id == caller.org_id)
        if person_id:
            statement = statement.where(s.person_id == person_id)
        if after:
            created_at, last_id = after
            statement = statement.where(sa.or_(s.created_at < created_at, sa.and_(s.created_at == created_at, s.id < last_id)))
        rows = list(session.scalars(statement.order_by(s.created_at.desc(), s.id.desc()).limit(limit)))
        visible = [row for row in rows if person_id or self.visible(session, caller, row.person_id)]
        # The person asked about is read even when none is saved for them; a list, each person it shows.
        self._tell(session, caller, [person_id] if person_id else [row.person_id for row in visible],
                   "list_saved_searches")
        return visible, rows[-1] if len(rows) == limit else None

    def delete(self, session: Session, caller: Caller, subscription_id: str) -> None:
        row = self.own(session, caller, subscription_id)
        session.execute(sa.delete(SubscriptionKeyRow).where(SubscriptionKeyRow.subscription_id == row.id))
        person_id = row.person_id
        session.delete(row)
        session.flush()
        self._tell(session, caller, [person_id], "stop_saved_search")

    # -- the person's own door (/v1/me/saved-searches) -----------------------------------------
    def of_person(self, session: Session, person_id: str,
                  matches_shown: int = MATCHES_SHOWN) -> list[tuple[SubscriptionRow, list[tuple[MatchRow, OfferRow]], int]]:
        """The searches saved for the person, newest first, each with the offers sent to them under it
        (the newest `matches_shown`) and how many there are. Only theirs: the person is the token's."""
        s = SubscriptionRow
        rows = list(session.scalars(sa.select(s).where(s.person_id == person_id)
                                    .order_by(s.created_at.desc(), s.id.desc())))
        found = session.execute(
            sa.select(MatchRow, OfferRow).join(OfferRow, OfferRow.id == MatchRow.offer_id)
            .where(MatchRow.person_id == person_id, MatchRow.subscription_id.in_([row.id for row in rows]))
            .order_by(MatchRow.matched_at.desc(), MatchRow.offer_id)).all() if rows else []
        by_search: dict[str, list[tuple[MatchRow, OfferRow]]] = {row.id: [] for row in rows}
        for match, offer in found:
            by_search[match.subscription_id].append((match, offer))
        return [(row, by_search[row.id][:matches_shown], len(by_search[row.id])) for row in rows]

    # -- matching ------------------------------------------------------------------------------
    def on_published(self, session: Session, offer_id: str, rome_code: str, departement_code: str | None) -> int:
        """Send the offer to every person whose saved search it matches, once per person. The
        searches are looked up first by the offer's keys, as its event gave them: most offers
        match none, and then the offer itself is not read."""
        keys = SavedSearch.keys_for(rome_code, departement_code)
        filed = list(session.scalars(_FILED_UNDER, {"keys": keys}))
        if not filed:
            return 0
        candidates = session.scalars(sa.select(SubscriptionRow).where(SubscriptionRow.id.in_(filed))
                                     .order_by(SubscriptionRow.created_at))
        offer = session.scalar(sa.select(OfferRow).where(OfferRow.id == offer_id))
        if offer is None or offer.status != OfferStatus.PUBLISHED:
            return 0
        draft = OfferDraft.from_dict(offer.draft)
        sent = 0
        for subscription in candidates:
            if not self.visible(session, Subscriber.of(subscription), subscription.person_id):
                continue
            if matches(SavedSearch.from_dict(subscription.criteria), draft) and self._record(session, subscription, offer):
                sent += 1
        return sent

    def _tell(self, session: Session, caller: Caller, person_ids: list[str], action: str) -> None:
        tell_access(OutboxEvents(session, self.outbox), caller, person_ids, action, self.clock())

    # -- visibility ----------------------------------------------------------------------------
    def visible(self, session: Session, org, person_id: str) -> bool:
        return may_know(org, PersonFactsRepository(session).get(person_id), self.clock().date())

    def _check_visible(self, session: Session, caller: Caller, person_id: str) -> None:
        if not self.visible(session, caller, person_id):
            raise NotFound(NOT_VISIBLE, field="person_id")

    def _record(self, session: Session, subscription: SubscriptionRow, offer: OfferRow) -> bool:
        now = self.clock()
        try:
            with session.begin_nested():  # the key (person, offer) lets one match through
                session.add(MatchRow(person_id=subscription.person_id, offer_id=offer.id,
                                     subscription_id=subscription.id, matched_at=now))
        except IntegrityError:
            return False
        place = offer.draft.get("place") or {}
        OutboxEvents(session, self.outbox).emit(MATCH_FOUND, subscription.person_id, {
            "person_id": subscription.person_id, "offer_id": offer.id, "subscription_id": subscription.id,
            "org_id": subscription.org_id, "matched_at": rfc3339(now), "offer": {
                "title": offer.title, "rome_code": offer.rome_code, "contract_type": offer.contract_type,
                "commune_code": offer.commune_code, "commune_name": place.get("commune_name"),
                "departement_code": offer.departement_code, "employer_name": offer.draft["employer"]["name"]}})
        return True
