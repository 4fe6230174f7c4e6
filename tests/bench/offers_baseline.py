"""The plain PostgreSQL full-text baseline the offers search is measured against: one table, a
French `tsvector` with a GIN index, B-tree indexes on the filters, facets as one GROUP BY per
dimension over the same WHERE clause. What a team would build first without a search design."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

from services.offers.domain.model import OfferDraft

TABLE = """
CREATE TABLE baseline_offers (
    id bigserial PRIMARY KEY, title text NOT NULL, description text NOT NULL, rome_code text,
    contract_type text, departement_code text, commune_code text, latitude double precision,
    longitude double precision, salary_min integer, salary_max integer, siret text,
    accessible boolean NOT NULL, published_on date NOT NULL,
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french', title), 'A') || to_tsvector('french', description)) STORED)
"""
INDEXES = (
    "CREATE INDEX ON baseline_offers USING gin (document)",
    "CREATE INDEX ON baseline_offers (rome_code)",
    "CREATE INDEX ON baseline_offers (contract_type)",
    "CREATE INDEX ON baseline_offers (departement_code)",
    "CREATE INDEX ON baseline_offers (published_on)",
    "CREATE INDEX ON baseline_offers (latitude, longitude)",
)
FACETS = ("contract_type", "departement_code", "rome_code")
COLUMNS = ("title", "description", "rome_code", "contract_type", "departement_code", "commune_code", "latitude",
           "longitude", "salary_min", "salary_max", "siret", "accessible", "published_on")


@dataclass(frozen=True)
class Query:
    """One typical search, as both engines are asked it."""
    name: str
    text: str | None = None
    rome_code: str | None = None
    contract_type: str | None = None
    departement_code: str | None = None
    near: tuple[float, float, float] | None = None  # latitude, longitude, radius km
    min_salary: int | None = None
    sort: str = "relevance"


def load(url: str, drafts: Iterable[tuple[OfferDraft, str]]) -> int:
    """(draft, publication day) rows through COPY, then the indexes (faster than indexing as it goes)."""
    count = 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS baseline_offers")
        conn.execute(TABLE)
        with conn.cursor().copy(f"COPY baseline_offers ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for draft, published_on in drafts:
                copy.write_row(_row(draft, published_on))
                count += 1
        for statement in INDEXES:
            conn.execute(statement)
        conn.execute("ANALYZE baseline_offers")
    return count


def _row(draft: OfferDraft, published_on: str) -> tuple:
    place = draft.place
    return (draft.title, draft.description, draft.rome.code, draft.contract_type,
            place.departement_code if place else None, place.commune_code if place else None,
            place.latitude if place else None, place.longitude if place else None,
            draft.salary.min_yearly_eur, draft.salary.max_yearly_eur, draft.employer.siret,
            draft.accessible_to_disabled, published_on)


def search(conn: psycopg.Connection, query: Query, limit: int = 20) -> tuple[list[int], dict[str, dict[str, int]]]:
    """The first page and the facet counts, as the service answers them."""
    where, params = _where(query)
    order = {"relevance": "ts_rank(document, websearch_to_tsquery('french', %(text)s)) DESC" if query.text
             else "published_on DESC", "date": "published_on DESC"}.get(query.sort, "published_on DESC")
    ids = [row[0] for row in conn.execute(
        f"SELECT id FROM baseline_offers WHERE {where} ORDER BY {order}, id LIMIT {limit}", params)]
    facets = {facet: dict(conn.execute(
        f"SELECT {facet}, count(*) FROM baseline_offers WHERE {where} GROUP BY {facet}", params).fetchall())
        for facet in FACETS}
    return ids, facets


def _where(query: Query) -> tuple[str, dict]:
    clauses, params = ["true"], {"text": query.text}
    if query.text:
        clauses.append("document @@ websearch_to_tsquery('french', %(text)s)")
    for column in ("rome_code", "contract_type", "departement_code"):
        if (value := getattr(query, column)) is not None:
            clauses.append(f"{column} = %({column})s")
            params[column] = value
    if query.min_salary is not None:
        clauses.append("coalesce(salary_max, salary_min) >= %(min_salary)s")
        params["min_salary"] = query.min_salary
    if query.near is not None:
        latitude, longitude, radius = query.near
        dlat, dlon = radius / 111.0, radius / (111.0 * math.cos(math.radians(latitude)))
        clauses.append("latitude BETWEEN %(lat0)s AND %(lat1)s AND longitude BETWEEN %(lon0)s AND %(lon1)s"
                       " AND 2 * 6371 * asin(sqrt(power(sin(radians(latitude - %(lat)s) / 2), 2)"
                       " + cos(radians(%(lat)s)) * cos(radians(latitude))"
                       " * power(sin(radians(longitude - %(lon)s) / 2), 2))) <= %(radius)s")
        params.update(lat=latitude, lon=longitude, radius=radius, lat0=latitude - dlat, lat1=latitude + dlat,
                      lon0=longitude - dlon, lon1=longitude + dlon)
    return " AND ".join(clauses), params
