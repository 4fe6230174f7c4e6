"""Profile search and ranking for an offer on the search index; the page's profiles are then read
from the database by person id, so what is shown (and explained) is the record.

Filters are exact keyword and range clauses. Both searches order by a score, the number of scored
clauses a profile meets (a search's asked ROME codes and skills; an offer's contract, working time,
mobility and availability), then by person id. tantivy sorts by one field, so a page is read score
level by score level, highest first: "exactly n of the scored clauses" is "at least n and not at
least n + 1", and within a level the index sorts by person id. The cursor is keyset: (score, person id)
of the last profile shown.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import tantivy

from services.core.search_index import Reading, fold_facets, term_counts
from services.profiles.adapters.repository import ProfileRepository
from services.profiles.adapters.search_index import SCHEMA, keyword, person_key
from services.profiles.domain.consent import Audience
from services.profiles.domain.matching import KeptOffer, SearchCriteria
from services.profiles.domain.profile import Profile
from services.profiles.domain.repository import Facets

FACET_NAMES = ("rome_codes", "skills", "contract_types", "languages", "departement_code", "working_time",
               "driving_licence")
FACET_TOP = 20  # values shown per facet
KEY_TIES = 8  # extra hits read past a cursor, for ids sharing the first eight bytes of the last one
U64_MAX = 2 ** 64 - 1
I64_MAX = 2 ** 63 - 1
Occur, Q = tantivy.Occur, tantivy.Query


class IndexFinder:
    def __init__(self, reading: Reading, profiles: ProfileRepository) -> None:
        self.reading, self.searcher, self.profiles = reading, reading.searcher, profiles

    def search(self, criteria: SearchCriteria, audience: Audience, after: tuple[int, str] | None,
               limit: int) -> list[tuple[Profile, int]]:
        asked = [_term("rome_codes", code) for code in sorted(set(criteria.rome_codes))]
        asked += [_term("skills", skill) for skill in sorted(set(criteria.skills))]
        return self._page(_filters(criteria, audience), asked, after, limit)

    def facets(self, criteria: SearchCriteria, audience: Audience) -> Facets:
        """Counted once per index commit: over a whole audience (700,000 profiles in the bench) they
        cost 150 ms, and typical searches repeat (docs/performance.md)."""
        return self.reading.remembered(("facets", audience, criteria), lambda: self._count(criteria, audience))

    def _count(self, criteria: SearchCriteria, audience: Audience) -> Facets:
        counts = term_counts(self.searcher, _all(_filters(criteria, audience)), FACET_NAMES)
        counts = {(name, _value(name, value)): n for (name, value), n in counts.items()}
        return fold_facets(counts, FACET_NAMES, FACET_TOP)

    def for_offer(self, offer: KeptOffer, audience: Audience, distances: dict[str, float | None], today: date,
                  limit: int) -> list[tuple[Profile, int]]:
        """Profiles with the offer's ROME code in the communes of `distances` (or anywhere when the
        offer has no place), scored on what `rank_for_offer` checks beyond the ROME code."""
        filters = [_term("audiences", audience.value), _term("rome_codes", offer.rome_code)]
        if offer.commune_code:
            filters.append(Q.term_set_query(SCHEMA, "commune_code", sorted(distances)))
        scored = [_term("contract_types", offer.contract_type)] if offer.contract_type else []
        scored.append(Q.term_set_query(SCHEMA, "working_time", [keyword(offer.working_time), "any"]))
        if reach := self._within_mobility(filters, distances):
            scored.append(reach)
        scored.append(Q.range_query(SCHEMA, "available_day", tantivy.FieldType.Integer, -I64_MAX, today.toordinal()))
        return self._page(filters, scored, None, limit)

    def _within_mobility(self, filters: list[tantivy.Query],
                         distances: dict[str, float | None]) -> tantivy.Query | None:
        """The person's own radius reaches the offer. Radii are few distinct numbers: a commune at
        distance d is within the radius of those whose radius is at least the smallest one present
        that is ≥ d, so each radius present gets the communes nearer than it and farther than the one
        below it."""
        answer = self.searcher.aggregate(_all(filters), {"m": {"terms": {"field": "mobility_km", "size": 10_000}}})
        radii = sorted(int(bucket["key"]) for bucket in answer["m"]["buckets"])
        bands: dict[int, list[str]] = {}
        for code, km in distances.items():
            if km is not None and (radius := next((r for r in radii if km <= r), None)) is not None:
                bands.setdefault(radius, []).append(code)
        clauses = [(Occur.Should, _all([Q.term_set_query(SCHEMA, "commune_code", sorted(codes)),
                                        Q.range_query(SCHEMA, "mobility_km", tantivy.FieldType.Integer, radius,
                                                      I64_MAX)]))
                   for radius, codes in sorted(bands.items())]
        return Q.boolean_query(clauses) if clauses else None

    # -- a page, score level by score level ----------------------------------------------------
    def _page(self, filters: list[tantivy.Query], scored: list[tantivy.Query], after: tuple[int, str] | None,
              limit: int) -> list[tuple[Profile, int]]:
        found: list[tuple[str, int]] = []
        top = len(scored) if after is None else min(after[0], len(scored))
        for level in range(top, -1, -1):
            last = after[1] if after and level == after[0] else None
            found += [(person_id, level) for person_id in self._level(filters, scored, level, last, limit - len(found))]
            if len(found) >= limit:
                break
        profiles = self.profiles.many([person_id for person_id, _ in found])
        return [(profiles[person_id], level) for person_id, level in found if person_id in profiles]

    def _level(self, filters: list[tantivy.Query], scored: list[tantivy.Query], level: int, after_id: str | None,
               limit: int) -> list[str]:
        """The first `limit` person ids meeting exactly `level` scored clauses, after `after_id`."""
        clauses = [*filters, *_exactly(scored, level)]
        if after_id is None:
            return self._ids(_all(clauses), limit)
        clauses.append(Q.range_query(SCHEMA, "person_key", tantivy.FieldType.Unsigned, person_key(after_id), U64_MAX))
        wanted = limit + KEY_TIES
        while True:  # ids sharing the key of `after_id` and not after it come first: skip them
            ids = self._ids(_all(clauses), wanted)
            later = [person_id for person_id in ids if person_id > after_id]
            if len(later) >= limit or len(ids) < wanted:
                return later[:limit]
            wanted *= 4

    def _ids(self, query: tantivy.Query, limit: int) -> list[str]:
        if limit <= 0:
            return []
        found = self.searcher.search(query, limit, count=False, order_by_field="person_id", order=tantivy.Order.Asc)
        return [person_id for person_id, _ in found.hits]


def _filters(criteria: SearchCriteria, audience: Audience) -> list[tantivy.Query]:
    """The profiles this audience may find that meet every filter."""
    filters = [_term("audiences", audience.value)]
    for name, values in (("commune_code", criteria.communes), ("rome_codes", criteria.rome_codes),
                         ("skills", criteria.skills), ("contract_types", criteria.contract_types)):
        if values:
            filters.append(Q.term_set_query(SCHEMA, name, sorted(set(values))))
    filters += [_term("languages", language) for language in criteria.languages]
    if criteria.available_by:
        filters.append(Q.range_query(SCHEMA, "available_day", tantivy.FieldType.Integer, -I64_MAX,
                                     criteria.available_by.toordinal()))
    if criteria.working_time:
        filters.append(Q.term_set_query(SCHEMA, "working_time", [criteria.working_time, "any"]))
    if criteria.driving_licence:
        filters.append(_term("driving_licence", "true"))
    return filters


def _exactly(scored: Sequence[tantivy.Query], level: int) -> list[tantivy.Query]:
    """Clauses (to AND) meeting exactly `level` of the scored queries."""
    if not scored:
        return []
    clauses = []
    if level:
        clauses.append(_at_least(scored, level))
    if level < len(scored):
        clauses.append(Q.boolean_query([(Occur.MustNot, _at_least(scored, level + 1)), (Occur.Must, Q.all_query())]))
    return clauses


def _at_least(scored: Sequence[tantivy.Query], n: int) -> tantivy.Query:
    return Q.boolean_query([(Occur.Should, query) for query in scored], minimum_number_should_match=n)


def _all(clauses: Sequence[tantivy.Query]) -> tantivy.Query:
    return Q.boolean_query([(Occur.Must, clause) for clause in clauses]) if clauses else Q.all_query()


def _term(name: str, value: str) -> tantivy.Query:
    return Q.term_query(SCHEMA, name, value)


def _value(name: str, value: str | None) -> object:
    """A facet value as the API gives it: the driving licence as a boolean."""
    return value == "true" if name == "driving_licence" and value is not None else value
