"""The plain PostgreSQL baseline the profile search is measured against: one table, the multi-valued
facts as text arrays with GIN indexes, B-tree indexes on the one-valued filters, the score as the
size of the asked terms' intersection, facets as one GROUP BY per dimension (arrays unnested) over
the same WHERE clause. What a team would build first without a search design."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import psycopg

from services.profiles.domain.consent import Audience
from services.profiles.domain.profile import Profile

TABLE = """
CREATE TABLE baseline_profiles (
    person_id text PRIMARY KEY, commune_code text NOT NULL, departement_code text NOT NULL,
    findable_employers boolean NOT NULL, findable_temp_agencies boolean NOT NULL,
    findable_counsellors boolean NOT NULL, working_time text, available_from date,
    driving_licence boolean NOT NULL, rome_codes text[] NOT NULL, skills text[] NOT NULL,
    contract_types text[] NOT NULL, languages text[] NOT NULL)
"""
INDEXES = (
    "CREATE INDEX ON baseline_profiles USING gin (rome_codes)",
    "CREATE INDEX ON baseline_profiles USING gin (skills)",
    "CREATE INDEX ON baseline_profiles USING gin (contract_types)",
    "CREATE INDEX ON baseline_profiles USING gin (languages)",
    "CREATE INDEX ON baseline_profiles (commune_code)",
    "CREATE INDEX ON baseline_profiles (available_from)",
)
ARRAY_FACETS = ("rome_codes", "skills", "contract_types", "languages")
FACETS = ("departement_code", "working_time", "driving_licence")
COLUMNS = ("person_id", "commune_code", "departement_code", "findable_employers", "findable_temp_agencies",
           "findable_counsellors", "working_time", "available_from", "driving_licence", "rome_codes", "skills",
           "contract_types", "languages")


@dataclass(frozen=True)
class Query:
    """One typical search, as both engines are asked it (skills as a person types them)."""
    name: str
    rome_codes: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    commune_code: str | None = None
    radius_km: float | None = None
    available_by: date | None = None
    contract_types: tuple[str, ...] = ()
    working_time: str | None = None
    languages: tuple[str, ...] = ()
    driving_licence: bool | None = None


def load(url: str, profiles: Iterable[Profile]) -> int:
    """Rows through COPY, then the indexes (faster than indexing as it goes)."""
    count = 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS baseline_profiles")
        conn.execute(TABLE)
        with conn.cursor().copy(f"COPY baseline_profiles ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for profile in profiles:
                copy.write_row(_row(profile))
                count += 1
        for statement in INDEXES:
            conn.execute(statement)
        conn.execute("ANALYZE baseline_profiles")
    return count


def _row(profile: Profile) -> tuple:
    return (profile.person_id, profile.commune_code, profile.departement_code,
            *(profile.findable_by(audience) for audience in (Audience.EMPLOYERS, Audience.TEMP_AGENCIES,
                                                             Audience.COUNSELLORS)),
            profile.value("working_time"), profile.value("available_from"), bool(profile.value("driving_licence")),
            profile.value("rome_codes", []), sorted(profile.skill_terms), profile.value("contract_types", []),
            [language["code"] for language in profile.value("languages", [])])


def search(conn: psycopg.Connection, audience: Audience, query: Query, skills: tuple[str, ...],
           communes: tuple[str, ...], limit: int = 20) -> tuple[list[str], dict[str, dict]]:
    """The first page and the facet counts, as the service answers them; `skills` folded and
    `communes` (the place and those within the radius) computed as the service does."""
    where, params = _where(audience, query, skills, communes)
    asked = list(query.rome_codes) + list(skills)
    ids = [row[0] for row in conn.execute(
        f"SELECT person_id, cardinality(ARRAY(SELECT unnest(rome_codes || skills) INTERSECT "
        f"SELECT unnest(%(asked)s::text[]))) AS score FROM baseline_profiles WHERE {where} "
        f"ORDER BY score DESC, person_id LIMIT {limit}", {**params, "asked": asked})]
    facets = {facet: dict(conn.execute(
        f"SELECT value, count(*) FROM baseline_profiles, unnest({facet}) AS value WHERE {where} "
        f"GROUP BY value ORDER BY count(*) DESC, value LIMIT 20", params).fetchall()) for facet in ARRAY_FACETS}
    facets.update({facet: dict(conn.execute(
        f"SELECT {facet}, count(*) FROM baseline_profiles WHERE {where} GROUP BY {facet}", params).fetchall())
        for facet in FACETS})
    return ids, facets


def _where(audience: Audience, query: Query, skills: tuple[str, ...], communes: tuple[str, ...]) -> tuple[str, dict]:
    clauses = [f"findable_{audience.value}"]
    params: dict = {}
    for column, values in (("rome_codes", query.rome_codes), ("skills", skills),
                           ("contract_types", query.contract_types)):
        if values:
            clauses.append(f"{column} && %({column})s::text[]")
            params[column] = list(values)
    if query.languages:
        clauses.append("languages @> %(languages)s::text[]")
        params["languages"] = list(query.languages)
    if communes:
        clauses.append("commune_code = ANY(%(communes)s)")
        params["communes"] = list(communes)
    if query.available_by:
        clauses.append("available_from <= %(available_by)s")
        params["available_by"] = query.available_by
    if query.working_time:
        clauses.append("working_time IN (%(working_time)s, 'any')")
        params["working_time"] = query.working_time
    if query.driving_licence:
        clauses.append("driving_licence")
    return " AND ".join(clauses), params
