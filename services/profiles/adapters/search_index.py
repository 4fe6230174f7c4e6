"""The search index of profiles: the core's tantivy index (services/core/search_index.py) over the
profiles, keyed by person id, queued in `profile_search_queue` by the triggers of migration 0002.

A document holds what searches filter, count and sort on, never who the person is: the audiences
that may find the profile (consent, and for temp agencies temporary work, as `findable_by` says),
place, ROME codes, folded skills, contracts, languages, working time, availability, driving licence
and mobility radius. Every keyword is a fast field, so facets are terms aggregations.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
import tantivy
from sqlalchemy.orm import Session

from services.core import search_index as core
from services.core.search_index import MISSING, IndexedTable
from services.profiles.adapters.orm import ProfileRow, SearchQueueRow
from services.profiles.adapters.repository import profile_of
from services.profiles.domain.consent import Audience
from services.profiles.domain.profile import Profile
from services.profiles.domain.text import fold

KEYWORDS = ("audiences", "commune_code", "departement_code", "rome_codes", "skills", "contract_types", "languages",
            "working_time", "driving_licence")
SKILL_CHARACTERS = 200


def search_dir() -> Path:
    """PROFILES_SEARCH_DIR, default `$DATA_DIR/profiles-search`: local disk of the one search process."""
    return core.search_dir("profiles")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("person_id", tokenizer_name="raw", fast=True)  # the key, and the order within a score
    # The person id's first eight bytes as a number, in the same order: what a cursor's range reads
    # (tantivy has no range over text).
    builder.add_unsigned_field("person_key", indexed=True, fast=True)
    for name in KEYWORDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_integer_field("available_day", indexed=True, fast=True)  # proleptic ordinal of the date
    builder.add_integer_field("mobility_km", indexed=True, fast=True)
    return builder.build()


SCHEMA = _schema()


def person_key(person_id: str) -> int:
    """Never decreasing with the id's order (UTF-8 bytes sort as the characters do); ties possible."""
    return int.from_bytes(person_id.encode()[:8].ljust(8, b"\0"), "big")


def keyword(value: object) -> str:
    if value is None:
        return MISSING
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def document(profile: Profile) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("person_id", profile.person_id)
    doc.add_unsigned("person_key", person_key(profile.person_id))
    values = {
        "audiences": [audience.value for audience in Audience if profile.findable_by(audience)],
        "commune_code": [profile.commune_code], "departement_code": [profile.departement_code],
        "rome_codes": profile.value("rome_codes", []), "contract_types": profile.value("contract_types", []),
        "languages": [language["code"] for language in profile.value("languages", [])],
        "skills": sorted({fold(label)[:SKILL_CHARACTERS] for label in profile.item_values("skills")}),
        "working_time": [keyword(profile.value("working_time"))],
        "driving_licence": [keyword(bool(profile.value("driving_licence")))],
    }
    for name, listed in values.items():
        for value in listed:
            doc.add_text(name, value)
    available = profile.value("available_from")
    if available:
        doc.add_integer("available_day", date.fromisoformat(available).toordinal())
    mobility = profile.value("mobility_km", 0)
    doc.add_integer("mobility_km", int(mobility) if isinstance(mobility, (int, float)) else 0)
    return doc


def documents(session: Session, person_ids: list[str]) -> list[tantivy.Document]:
    rows = session.scalars(sa.select(ProfileRow).where(ProfileRow.person_id.in_(person_ids)))
    return [document(profile_of(row)) for row in rows]


PROFILES = IndexedTable(SCHEMA, "person_id", ProfileRow, SearchQueueRow, documents)


class SearchIndex(core.SearchIndex):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory, PROFILES)
