"""Pseudonymous search, detail views and ranking for an offer: what recruiters and counsellors see.

A result never carries a name, contact, NIR, birth date, address, health barrier or RQTH status
(`public_view` is the only shape they get), and names the profile by a pseudonym of the caller's
organisation. Every detail view is counted against the organisation's daily quota and written to
the person's access log (service/accesses.py, which says why search results are not).

Searches and ranking run on the search index (`uow.finder`), which catches up with every write
committed before the request (`searcher`); the page's profiles are read from the record, and one
that its audience may no longer find (a consent revoked meanwhile) is left out.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.core.db import Database
from services.core.errors import Forbidden, NotFound
from services.core.identity import Caller
from services.core.referentials.geo import GeoReferential
from services.core.search_index import Reading
from services.profiles.adapters.search_index import SearchIndex
from services.profiles.domain.consent import Audience
from services.profiles.domain.matching import SearchCriteria, explain, rank_for_offer
from services.profiles.domain.policy import audience_of
from services.profiles.domain.profile import LIST_FACTS, Profile
from services.profiles.domain.pseudonyms import Pseudonyms
from services.profiles.domain.quota import check_daily_views
from services.profiles.domain.repository import Facets, Finder, Ranked
from services.profiles.service import accesses
from services.profiles.service.accesses import record_access
from services.profiles.service.unit_of_work import ProfilesUnitOfWork

NOT_VISIBLE = "No profile with this pseudonym is visible to your organisation."
# How far around an offer candidates are looked for; each person's own mobility radius then ranks them.
OFFER_REACH_KM = 100
PUBLIC_FACTS = ("rome_codes", "contract_types", "working_time", "mobility_km", "available_from", "driving_licence",
                "languages")


def public_view(profile: Profile) -> dict[str, Any]:
    """What a recruiter may know of a profile; the person's place only to the commune."""
    return {
        **{name: profile.value(name) for name in PUBLIC_FACTS},
        "skills": profile.item_values("skills"), "experiences": profile.item_values("experiences"),
        "diplomas": profile.item_values("diplomas"),
        "commune_code": profile.commune_code, "departement_code": profile.departement_code,
        "sources": {name: sorted({fact.provenance.source for fact in _facts(profile, name)})
                    for name in (*PUBLIC_FACTS, *LIST_FACTS) if _facts(profile, name)},
    }


def _facts(profile: Profile, name: str) -> list:
    return profile.items.get(name, []) if name in LIST_FACTS else [f for f in [profile.facts.get(name)] if f]


@dataclass
class SearchService:
    pseudonyms: Pseudonyms
    geo: GeoReferential
    clock: Callable[[], datetime]
    daily_view_quota: int
    index: SearchIndex | None = None

    def reading(self, db: Database) -> Reading:
        """The index as of now: every write committed before this call is in it."""
        assert self.index is not None, "the app gives the search service its index"
        return self.index.reading(db)

    def audience(self, caller: Caller) -> Audience:
        audience = audience_of(caller)
        if audience is None:
            raise Forbidden("Your organisation belongs to no audience of the profile bank.")
        return audience

    def near(self, commune_code: str | None, radius_km: float | None) -> tuple[str, ...]:
        if commune_code is None:
            return ()
        return tuple(self.geo.communes_within(commune_code, radius_km)) if radius_km else (commune_code,)

    def search(self, uow: ProfilesUnitOfWork, caller: Caller, criteria: SearchCriteria,
               after: tuple[int, str] | None, limit: int) -> tuple[list[dict[str, Any]], tuple[int, str] | None]:
        audience = self.audience(caller)
        hits = _finder(uow).search(criteria, audience, after, limit)
        items = [self.result(caller, profile, explain(criteria, profile).to_dict())
                 for profile, _ in _still_findable(hits, audience)]
        last = (hits[-1][1], hits[-1][0].person_id) if len(hits) == limit else None
        return items, last

    def facets(self, uow: ProfilesUnitOfWork, caller: Caller, criteria: SearchCriteria) -> Facets:
        return _finder(uow).facets(criteria, self.audience(caller))

    def detail(self, uow: ProfilesUnitOfWork, caller: Caller, pseudonym: str) -> dict[str, Any]:
        audience, now = self.audience(caller), self.clock()
        check_daily_views(uow.views.count(caller.org_id, now.date()), self.daily_view_quota, now)
        profile = self.findable(uow, caller, pseudonym, audience)
        record_access(uow, caller, profile.person_id, accesses.DETAIL_VIEW, now)
        return self.result(caller, profile, None)

    def findable(self, uow: ProfilesUnitOfWork, caller: Caller, pseudonym: str, audience: Audience) -> Profile:
        person_id = self.pseudonyms.person(caller.org_id, pseudonym)
        profile = uow.profiles.get(person_id) if person_id else None
        if profile is None or not profile.findable_by(audience):
            raise NotFound(NOT_VISIBLE)
        return profile

    def for_offer(self, uow: ProfilesUnitOfWork, caller: Caller, offer_id: str, limit: int) -> list[dict[str, Any]]:
        audience = self.audience(caller)
        offer = uow.offers.get(offer_id)
        if offer is None or offer.owner_org_id != caller.org_id or offer.status != "published" or not offer.rome_code:
            raise NotFound("No published offer of your organisation has this id.")
        distances = self._distances(offer.commune_code) if offer.commune_code else {}
        today = self.today()
        hits = _finder(uow).for_offer(offer, audience, distances, today, limit)
        return [self.result(caller, profile, rank_for_offer(offer, profile, distances.get(profile.commune_code),
                                                            today).to_dict())
                for profile, _ in _still_findable(hits, audience)]

    def _distances(self, commune_code: str) -> dict[str, float | None]:
        """Each commune within reach of the offer's, with its distance as `rank_for_offer` measures it."""
        return {code: self.geo.distance_km(code, commune_code) for code in self.near(commune_code, OFFER_REACH_KM)}

    def result(self, caller: Caller, profile: Profile, match: dict[str, Any] | None) -> dict[str, Any]:
        body = {"pseudonym": self.pseudonyms.of(caller.org_id, profile.person_id), **public_view(profile)}
        return {**body, "match": match} if match is not None else body

    def today(self) -> date:
        return self.clock().date()


def _finder(uow: ProfilesUnitOfWork) -> Finder:
    assert uow.finder is not None, "searches run on a unit of work given the index's searcher"
    return uow.finder


def _still_findable(hits: Ranked, audience: Audience) -> Ranked:
    """The record may be newer than the index (a write between catch-up and reading): it decides."""
    return [(profile, level) for profile, level in hits if profile.findable_by(audience)]
