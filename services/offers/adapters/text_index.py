"""The full-text index of offers, one implementation per database, over the same folded terms.

Terms are folded once by the domain (`text.terms`: accents, case, plurals), both when indexing and
when querying, so the databases only match exact tokens: SQLite's FTS5 with its bm25 ranking, and
PostgreSQL's tsvector with the 'simple' configuration (no stemming of its own) and a GIN index.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.offers.domain.text import terms

TITLE_WEIGHT = 4.0  # a word of the title counts four times one of the body in relevance


@dataclass(frozen=True)
class IndexedText:
    seq: int
    title: str
    body: str


def indexed_text(seq: int, title: str, body_parts: Iterable[str | None]) -> IndexedText:
    body = " ".join(part for part in body_parts if part)
    return IndexedText(seq, " ".join(terms(title)), " ".join(terms(body)))


class TextIndex:
    """What search needs from the index: write terms, and a match condition with its rank."""

    def replace(self, session: Session, rows: Sequence[IndexedText], *, new: bool) -> None:
        raise NotImplementedError

    def matching(self, words: Sequence[str]) -> sa.Select:
        """SELECT of the offers' seq matching every word."""
        raise NotImplementedError

    def ranked(self, words: Sequence[str]) -> sa.Select:
        """SELECT (seq, score) of the matching offers; lower score ranks first."""
        raise NotImplementedError

    def join_ranked(self, statement: sa.Select, seq, words: Sequence[str]) -> tuple[sa.Select, sa.ColumnElement]:
        """`statement` restricted to the offers matching every word, and the score to order by."""
        ranked = self.ranked(words).subquery()
        return statement.join(ranked, ranked.c.seq == seq), ranked.c.score


class Fts5Index(TextIndex):
    table = sa.table("offer_terms", sa.column("rowid"), sa.column("title"), sa.column("body"))

    def replace(self, session: Session, rows: Sequence[IndexedText], *, new: bool) -> None:
        if not rows:
            return
        if not new:
            session.execute(sa.text("DELETE FROM offer_terms WHERE rowid = :seq"), [{"seq": r.seq} for r in rows])
        session.execute(sa.text("INSERT INTO offer_terms (rowid, title, body) VALUES (:seq, :title, :body)"),
                        [{"seq": r.seq, "title": r.title, "body": r.body} for r in rows])

    def _match(self, words: Sequence[str]):
        # Each folded word quoted: FTS5 operators in a user's query are plain words here.
        expression = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
        return sa.literal_column("offer_terms").op("MATCH")(expression)

    def matching(self, words: Sequence[str]) -> sa.Select:
        return sa.select(self.table.c.rowid).where(self._match(words))

    def ranked(self, words: Sequence[str]) -> sa.Select:
        score = sa.func.bm25(sa.literal_column("offer_terms"), TITLE_WEIGHT, 1.0)
        return sa.select(self.table.c.rowid.label("seq"), score.label("score")).where(self._match(words))


class TsvectorIndex(TextIndex):
    table = sa.table("offer_terms", sa.column("seq"), sa.column("terms"))

    def replace(self, session: Session, rows: Sequence[IndexedText], *, new: bool) -> None:
        if not rows:
            return
        session.execute(sa.text(
            "INSERT INTO offer_terms (seq, terms) VALUES (:seq, setweight(to_tsvector('simple', :title), 'A') "
            "|| to_tsvector('simple', :body)) ON CONFLICT (seq) DO UPDATE SET terms = excluded.terms"),
            [{"seq": r.seq, "title": r.title, "body": r.body} for r in rows])

    def _query(self, words: Sequence[str]):
        # plainto_tsquery ANDs the words and ignores any tsquery syntax in them.
        return sa.func.plainto_tsquery(sa.literal_column("'simple'::regconfig"), " ".join(words))

    def matching(self, words: Sequence[str]) -> sa.Select:
        return sa.select(self.table.c.seq).where(self.table.c.terms.op("@@")(self._query(words)))

    def join_ranked(self, statement: sa.Select, seq, words: Sequence[str]) -> tuple[sa.Select, sa.ColumnElement]:
        # Joined rather than ranked in a subquery, so only the offers passing the other filters are ranked.
        terms = self.table.c.terms
        return (statement.join(self.table, self.table.c.seq == seq).where(terms.op("@@")(self._query(words))),
                -sa.func.ts_rank(terms, self._query(words)))

    def ranked(self, words: Sequence[str]) -> sa.Select:
        # ts_rank weighs the title (weight A) as 1.0 and the body (D) as 0.1 by default.
        score = -sa.func.ts_rank(self.table.c.terms, self._query(words))
        return sa.select(self.table.c.seq, score.label("score")).where(
            self.table.c.terms.op("@@")(self._query(words)))


def text_index_for(dialect: str) -> TextIndex:
    return Fts5Index() if dialect == "sqlite" else TsvectorIndex()
