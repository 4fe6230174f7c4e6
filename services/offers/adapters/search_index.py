"""The search index of offers: the core's tantivy index (services/core/search_index.py) over the
offers, keyed by their `seq`, queued in `offer_search_queue` by the triggers of migration 0002.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
import tantivy
from sqlalchemy.orm import Session

from services.core import search_index as core
from services.core.search_index import MISSING, IndexedTable
from services.offers.adapters.orm import OfferRow, SearchQueueRow
from services.offers.domain.text import terms

KEYWORDS = ("status", "contract_type", "departement_code", "commune_code", "rome_code", "employer_siret",
            "owner_org_id")
SEQ_SPAN = 10 ** 9  # order key = publication second × SEQ_SPAN + seq: newest first, ties by arrival


def search_dir() -> Path:
    """OFFERS_SEARCH_DIR, default `$DATA_DIR/offers-search`: local disk of the one offers process."""
    return core.search_dir("offers")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("seq", stored=True, indexed=True, fast=True)
    # Terms arrive folded by the domain (accents, case, plurals): the index splits on spaces only.
    builder.add_text_field("title", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("body", tokenizer_name="whitespace", index_option="freq")
    for name in KEYWORDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    builder.add_boolean_field("accessible", indexed=True, fast=True)
    builder.add_integer_field("salary_top", indexed=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)  # epoch microseconds
    builder.add_integer_field("order_key", indexed=True, fast=True)
    return builder.build()


SCHEMA = _schema()


def order_key(published_at: datetime | None, seq: int) -> int:
    """Date order as one integer: offers never published (quarantined) come after, newest first."""
    return (int(published_at.timestamp()) if published_at else 0) * SEQ_SPAN + seq


INDEXED_COLUMNS = [getattr(OfferRow, name) for name in (
    "seq", "title", "draft", *KEYWORDS, "accessible", "salary_top_yearly", "published_at")]


def document(row) -> tantivy.Document:
    """An offer as the index holds it: terms of the title apart (they weigh more), then those of the
    description, the ROME label, the employer's and the commune's names ("boulanger Nantes")."""
    draft = row.draft
    place = draft.get("place") or {}
    body = (draft.get("description"), (draft.get("rome") or {}).get("label"),
            (draft.get("employer") or {}).get("name"), place.get("commune_name"))
    doc = tantivy.Document()
    doc.add_integer("seq", row.seq)
    doc.add_text("title", " ".join(terms(row.title)))
    doc.add_text("body", " ".join(terms(" ".join(part for part in body if part))))
    for name in KEYWORDS:
        doc.add_text(name, getattr(row, name) or MISSING)
    doc.add_boolean("accessible", bool(row.accessible))
    if row.salary_top_yearly is not None:
        doc.add_integer("salary_top", row.salary_top_yearly)
    if row.published_at is not None:
        doc.add_integer("published", epoch_micros(row.published_at))
    doc.add_integer("order_key", order_key(row.published_at, row.seq))
    return doc


def epoch_micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def documents(session: Session, seqs: list[int]) -> list[tantivy.Document]:
    return [document(row) for row in session.execute(sa.select(*INDEXED_COLUMNS).where(OfferRow.seq.in_(seqs)))]


OFFERS = IndexedTable(SCHEMA, "seq", OfferRow, SearchQueueRow, documents)


class SearchIndex(core.SearchIndex):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory, OFFERS)
