"""Offer search: filters, facet counts over the whole filtered set, and one page of hits.

Costs are kept proportional to what a query selects, not to the catalogue:
- filters run on narrow indexed columns; the text condition comes from the full-text index;
- facets are one GROUP BY over (contract type, département, ROME) of the filtered offers, folded into
  the three facets here; a query that only filters on those dimensions reads the facet-count table
  instead (so browsing "every CDI in France" costs a few thousand rows, not half the catalogue);
- a radius search reads its bounding box only, then keeps offers within the haversine distance.
Pages are keyset on (published_at, seq) when sorted by date, offset-based for relevance and distance.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.offers.adapters.orm import FacetCountRow, OfferRow
from services.offers.adapters.text_index import TextIndex
from services.offers.domain.geo import haversine_km
from services.offers.domain.text import terms

PUBLISHED = "published"
FACET_NAMES = ("contract_type", "departement_code", "rome_code")
KM_PER_DEGREE = 111.2
MAX_OFFSET = 10_000  # relevance and distance pages go this deep; narrow the search beyond


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
    status: str = PUBLISHED
    owner_org_id: str | None = None  # only this organisation's offers
    sort: str = "relevance"  # relevance | date | distance
    limit: int = 20
    after: tuple = ()  # from the previous page's `next_after`
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
    def __init__(self, session: Session, index: TextIndex, query: SearchQuery) -> None:
        self.session, self.index, self.query = session, index, query
        self.words = terms(query.text) if query.text else []
        self.sort = query.sort if query.sort != "relevance" or self.words else "date"

    def run(self) -> SearchResult:
        if self.query.near:
            return self._near()
        counts = self._facet_counts() if self.query.with_facets else Counter()
        hits, next_after = self._page()
        return SearchResult(hits, sum(counts.values()), fold_facets(counts), next_after)

    # -- filters -------------------------------------------------------------------------------
    def filters(self) -> list:
        q, o = self.query, OfferRow
        conditions = [o.status == q.status]
        for column, value in ((o.rome_code, q.rome_code), (o.contract_type, q.contract_type),
                              (o.departement_code, q.departement_code), (o.commune_code, q.commune_code),
                              (o.employer_siret, q.employer_siret), (o.accessible, q.accessible_to_disabled),
                              (o.owner_org_id, q.owner_org_id)):
            if value is not None:
                conditions.append(column == value)
        if q.min_salary is not None:
            conditions.append(o.salary_top_yearly >= q.min_salary)
        if q.published_since is not None:
            conditions.append(o.published_at >= q.published_since)
        if self.words and self.sort != "relevance":
            conditions.append(o.seq.in_(self.index.matching(self.words)))
        return conditions

    def _only_facet_dimensions(self) -> bool:
        q = self.query
        return (q.status == PUBLISHED and not self.words and q.commune_code is None and q.min_salary is None
                and q.published_since is None and q.employer_siret is None and q.owner_org_id is None)

    # -- facets --------------------------------------------------------------------------------
    def _facet_counts(self) -> Counter:
        if self._only_facet_dimensions():
            return self._counts_from_table()
        o = OfferRow
        conditions = self.filters()
        if self.words and self.sort == "relevance":
            conditions.append(o.seq.in_(self.index.matching(self.words)))
        rows = self.session.execute(sa.select(o.contract_type, o.departement_code, o.rome_code, sa.func.count())
                                    .where(*conditions).group_by(*self._grouping()))
        return Counter({(ct, dep, rome): n for ct, dep, rome, n in rows})

    def _grouping(self) -> list:
        """The facet dimensions to group by. On SQLite each is written `+column`, which keeps the
        planner from walking a whole index in group order instead of using the filters' index."""
        o = OfferRow
        columns = [o.contract_type, o.departement_code, o.rome_code]
        if self.session.get_bind().dialect.name != "sqlite":
            return columns
        return [sa.literal_column(f"+{column.name}") for column in columns]

    def _counts_from_table(self) -> Counter:
        q, f = self.query, FacetCountRow
        conditions = [column == value for column, value in (
            (f.contract_type, q.contract_type), (f.departement_code, q.departement_code), (f.rome_code, q.rome_code),
            (f.accessible, q.accessible_to_disabled)) if value is not None]
        rows = self.session.execute(sa.select(f.contract_type, f.departement_code, f.rome_code, sa.func.sum(f.offers))
                                    .where(*conditions).group_by(f.contract_type, f.departement_code, f.rome_code))
        return Counter({(ct or None, dep or None, rome or None): int(n) for ct, dep, rome, n in rows if n})

    # -- pages ---------------------------------------------------------------------------------
    def _page(self) -> tuple[list[Hit], tuple | None]:
        limit, o = self.query.limit, OfferRow
        if self.sort == "relevance":
            offset = _offset(self.query.after)
            statement, score = self.index.join_ranked(sa.select(o), o.seq, self.words)
            statement = statement.where(*self.filters()).order_by(score, o.seq.desc()).offset(offset).limit(limit + 1)
            rows = list(self.session.scalars(statement))
            return [Hit(row) for row in rows[:limit]], (("o", offset + limit, 0) if len(rows) > limit else None)
        statement = sa.select(o).where(*self.filters(), *self._after_date()).order_by(*self._date_order()).limit(limit + 1)
        rows = list(self.session.scalars(statement))
        last = rows[limit - 1] if len(rows) > limit else None
        next_after = ("d", last.published_at.isoformat() if last.published_at else None, last.seq) if last else None
        return [Hit(row) for row in rows[:limit]], next_after

    def _date_order(self) -> list:
        if self.query.status == "quarantined":  # never published: newest received first
            return [OfferRow.seq.desc()]
        return [OfferRow.published_at.desc(), OfferRow.seq.desc()]

    def _after_date(self) -> list:
        if not self.query.after:
            return []
        kind, published_at, seq = self.query.after
        if kind != "d" or not isinstance(seq, int):
            raise InvalidCursor()
        o = OfferRow
        if self.query.status == "quarantined" or published_at is None:
            return [o.seq < seq]
        moment = _datetime(published_at)
        return [sa.or_(o.published_at < moment, sa.and_(o.published_at == moment, o.seq < seq))]

    # -- radius --------------------------------------------------------------------------------
    def _near(self) -> SearchResult:
        near, o = self.query.near, OfferRow
        columns = [o.seq, o.latitude, o.longitude, o.contract_type, o.departement_code, o.rome_code, o.published_at]
        statement = sa.select(*columns).where(*self.filters(), *bounding_box(near))
        if self.words and self.sort == "relevance":
            statement, score = self.index.join_ranked(statement, o.seq, self.words)
            statement = statement.add_columns(score.label("score"))
        within = []
        for row in self.session.execute(statement):
            distance = haversine_km(near.latitude, near.longitude, row.latitude, row.longitude)
            if distance <= near.radius_km:
                within.append((row, distance))
        counts = Counter((row.contract_type, row.departement_code, row.rome_code) for row, _ in within)
        within.sort(key=self._near_key())
        offset, limit = _offset(self.query.after), self.query.limit
        page = within[offset:offset + limit]
        offers = {row.seq: row for row in self.session.scalars(sa.select(o).where(o.seq.in_([r.seq for r, _ in page])))}
        hits = [Hit(offers[row.seq], round(distance, 1)) for row, distance in page]
        next_after = ("o", offset + limit, 0) if len(within) > offset + limit else None
        return SearchResult(hits, len(within), fold_facets(counts) if self.query.with_facets else {}, next_after)

    def _near_key(self):
        if self.sort == "distance":
            return lambda item: (item[1], -item[0].seq)
        if self.sort == "relevance":
            return lambda item: (item[0].score, -item[0].seq)
        return lambda item: (-(item[0].published_at.timestamp() if item[0].published_at else 0), -item[0].seq)


class InvalidCursor(ValueError):
    """A cursor from another sort, or tampered with."""


def search(session: Session, index: TextIndex, query: SearchQuery) -> SearchResult:
    return Search(session, index, query).run()


def bounding_box(near: Near) -> list:
    """Latitude and longitude bands around the point: cheap on the index, a superset of the disc."""
    dlat = near.radius_km / KM_PER_DEGREE
    dlon = near.radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(near.latitude)), 0.01))
    o = OfferRow
    return [o.latitude.between(near.latitude - dlat, near.latitude + dlat),
            o.longitude.between(near.longitude - dlon, near.longitude + dlon)]


def fold_facets(counts: Counter) -> dict[str, list[tuple[str | None, int]]]:
    """From counts per (contract type, département, ROME) to one list per facet, largest first."""
    facets: dict[str, Counter] = {name: Counter() for name in FACET_NAMES}
    for key, n in counts.items():
        for name, value in zip(FACET_NAMES, key):
            facets[name][value] += n
    return {name: sorted(c.items(), key=lambda item: (-item[1], item[0] or "")) for name, c in facets.items()}


def _offset(after: Sequence) -> int:
    if not after:
        return 0
    kind, offset, _ = after
    if kind != "o" or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise InvalidCursor()
    return offset


def _datetime(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise InvalidCursor() from exc

