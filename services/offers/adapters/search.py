"""Offer search on the search index: filters, facet counts over the whole matching set, one page.

The index answers with offer seqs, counts and facets; the page's offers are then read from the
database by primary key, so what is shown is the record. Filters are exact (keyword, range and
boolean clauses that do not touch relevance); every word of the text must be in the title or the
body, a title word counting TITLE_WEIGHT times in the BM25 relevance. Facets are terms
aggregations over the same query. A radius search keeps the communes within the radius (an offer is
placed at its commune's point) and, sorted by distance, reads the page commune by commune.
Pages are keyset on the date order, offset-based for relevance and distance.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
import tantivy
from sqlalchemy.orm import Session

from services.core.errors import RuleBroken
from services.core.http import INVALID_CURSOR
from services.core.search_index import fold_facets as fold, term_counts
from services.offers.adapters.orm import OfferRow
from services.offers.adapters.search_index import SCHEMA, SEQ_SPAN, epoch_micros, order_key
from services.offers.domain.offer import OfferStatus
from services.offers.domain.places import communes_within
from services.offers.domain.text import terms

FACET_NAMES = ("contract_type", "departement_code", "rome_code")
FACET_SIZE = 10_000  # more than the values any facet has (ROME codes: about 600)
MAX_OFFSET = 10_000  # relevance and distance pages go this deep; narrow the search beyond
TITLE_WEIGHT = 4.0
INT_MAX = 2 ** 62
Occur, Q = tantivy.Occur, tantivy.Query


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class SearchQuery:
    text: str | None = None
    rome_code: str | None = None
    contract_type: str | None = None
    departement_code: str | None = None
    commune_code: str | None = None  # exact commune; a radius search gives `near` instead
    near: Near | None = None
    min_salary: int | None = None  # yearly, compared with the top of the offer's range
    published_since: datetime | None = None
    employer_siret: str | None = None
    accessible_to_disabled: bool | None = None
    status: str = OfferStatus.PUBLISHED.value
    owner_org_id: str | None = None  # only this organisation's offers
    sort: str = "relevance"  # relevance | date | distance
    limit: int = 20
    # From the previous page's `next_after`, as decoded by the API: ("o", offset, 0) for relevance and
    # distance pages, ("d", published_at or None, seq) for date pages.
    after: tuple = ()
    with_facets: bool = True


@dataclass
class Hit:
    offer: OfferRow
    distance_km: float | None = None


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str | None, int]]] = field(default_factory=dict)
    next_after: tuple | None = None


class Search:
    def __init__(self, searcher: tantivy.Searcher, query: SearchQuery) -> None:
        self.searcher, self.query = searcher, query
        self.words = terms(query.text) if query.text else []
        self.sort = query.sort if query.sort != "relevance" or self.words else "date"
        near = query.near
        self.communes = communes_within(near.latitude, near.longitude, near.radius_km) if near else []

    def run(self, load: Callable[[list[int]], dict[int, OfferRow]]) -> SearchResult:
        """`load` reads the offers of the page from the record, by seq."""
        if self.query.near and not self.communes:
            return SearchResult([], 0, fold_facets({}) if self.query.with_facets else {})
        matching = self.matching()
        if self.query.with_facets:
            counts = self._facets(matching)
            facets = fold_facets(counts)
            total = sum(n for (name, _), n in counts.items() if name == FACET_NAMES[0])  # every offer has one
        else:
            facets, total = {}, self.searcher.search(matching, 1, count=True).count
        pages = {"distance": self._distance_page, "relevance": self._relevance_page, "date": self._date_page}
        seqs, next_after = pages[self.sort](matching)
        offers = load(seqs)
        distances = {code: round(km, 1) for km, code in self.communes}
        hits = [Hit(offers[seq], distances.get(offers[seq].commune_code) if self.query.near else None)
                for seq in seqs if seq in offers]
        if next_after and hits and next_after[0] == "d":  # the date cursor names the last offer shown
            last = hits[-1].offer
            next_after = ("d", last.published_at, last.seq)
        return SearchResult(hits, total, facets, next_after)

    # -- the query -----------------------------------------------------------------------------
    def matching(self, *extra: tantivy.Query) -> tantivy.Query:
        clauses = [(Occur.Must, Q.const_score_query(f, 0.0)) for f in (*self._filters(), *extra)]
        for word in self.words:
            either = Q.boolean_query([(Occur.Should, Q.boost_query(_term("title", word), TITLE_WEIGHT)),
                                      (Occur.Should, _term("body", word))])
            clauses.append((Occur.Must, either))
        return Q.boolean_query(clauses)

    def _filters(self) -> list[tantivy.Query]:
        q = self.query
        filters = [_term(name, value) for name, value in (
            ("status", q.status), ("rome_code", q.rome_code), ("contract_type", q.contract_type),
            ("departement_code", q.departement_code), ("commune_code", q.commune_code),
            ("employer_siret", q.employer_siret), ("owner_org_id", q.owner_org_id)) if value is not None]
        if q.accessible_to_disabled is not None:
            filters.append(Q.term_query(SCHEMA, "accessible", q.accessible_to_disabled))
        if q.min_salary is not None:
            filters.append(_at_least("salary_top", q.min_salary))
        if q.published_since is not None:
            filters.append(_at_least("published", epoch_micros(q.published_since)))
        if q.near:
            filters.append(Q.term_set_query(SCHEMA, "commune_code", [code for _, code in self.communes]))
        return filters

    def _facets(self, matching: tantivy.Query) -> dict[tuple[str, str | None], int]:
        return term_counts(self.searcher, matching, FACET_NAMES, FACET_SIZE)

    # -- pages: the seqs shown, and what comes next --------------------------------------------
    def _relevance_page(self, matching: tantivy.Query) -> tuple[list[int], tuple | None]:
        offset, limit = _offset(self.query.after), self.query.limit
        found = self.searcher.search(matching, limit + 1, count=False, offset=offset)
        seqs = [self.searcher.doc(address)["seq"][0] for _, address in found.hits]
        return seqs[:limit], (("o", offset + limit, 0) if len(seqs) > limit else None)

    def _date_page(self, matching: tantivy.Query) -> tuple[list[int], tuple | None]:
        limit = self.query.limit
        if self.query.after:
            matching = self.matching(_below("order_key", self._after_key()))
        found = self.searcher.search(matching, limit + 1, count=False, order_by_field="order_key",
                                     order=tantivy.Order.Desc)
        seqs = [key % SEQ_SPAN for key, _ in found.hits]
        return seqs[:limit], (("d",) if len(seqs) > limit else None)

    def _distance_page(self, matching: tantivy.Query) -> tuple[list[int], tuple | None]:
        """Commune by commune, nearest first; newest first within a commune."""
        offset, limit = _offset(self.query.after), self.query.limit
        counts = self.searcher.aggregate(matching, {"c": {"terms": {"field": "commune_code", "size": FACET_SIZE}}})
        per_commune = {bucket["key"]: bucket["doc_count"] for bucket in counts["c"]["buckets"]}
        seqs: list[int] = []
        passed = 0  # offers in the communes before this one
        for _, code in self.communes:
            in_commune = per_commune.get(code, 0)
            if in_commune and passed + in_commune > offset and len(seqs) < limit:
                found = self.searcher.search(self.matching(_term("commune_code", code)), limit - len(seqs), count=False,
                                             offset=max(0, offset - passed), order_by_field="seq",
                                             order=tantivy.Order.Desc)
                seqs += [seq for seq, _ in found.hits]
            passed += in_commune
        return seqs, (("o", offset + limit, 0) if passed > offset + limit else None)

    def _after_key(self) -> int:
        kind, published_at, seq = self.query.after
        if kind != "d" or not isinstance(published_at, (datetime, type(None))) or not 0 <= seq < SEQ_SPAN:
            raise _invalid_cursor()
        key = order_key(published_at, seq)
        if not -INT_MAX < key < INT_MAX:  # a date no offer has (year 9999): beyond the index's integers
            raise _invalid_cursor()
        return key


def search(session: Session, searcher: tantivy.Searcher, query: SearchQuery) -> SearchResult:
    def load(seqs: list[int]) -> dict[int, OfferRow]:
        if not seqs:
            return {}
        return {row.seq: row for row in session.scalars(sa.select(OfferRow).where(OfferRow.seq.in_(seqs)))}

    return Search(searcher, query).run(load)


def fold_facets(counts: dict[tuple[str, str | None], int]) -> dict[str, list[tuple[str | None, int]]]:
    return fold(counts, FACET_NAMES)


def _term(name: str, value: str) -> tantivy.Query:
    return Q.term_query(SCHEMA, name, value)


def _at_least(name: str, value: int) -> tantivy.Query:
    return Q.range_query(SCHEMA, name, tantivy.FieldType.Integer, value, INT_MAX)


def _below(name: str, value: int) -> tantivy.Query:
    return Q.range_query(SCHEMA, name, tantivy.FieldType.Integer, -INT_MAX, value, include_upper=False)


def _offset(after: Sequence) -> int:
    if not after:
        return 0
    kind, offset, _ = after
    if kind != "o" or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise _invalid_cursor()
    return offset


def _invalid_cursor() -> RuleBroken:
    """A well-formed cursor from another sort, or out of range: tampered with."""
    return RuleBroken(INVALID_CURSOR, field="query.cursor")
