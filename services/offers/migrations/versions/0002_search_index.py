"""Search moves to the search index (adapters/search_index.py): the database's full-text table, the
facet counts and the offers' search-only indexes go; a queue, filled by triggers on every insert or
update of an offer, tells the index what to (re)index. Existing offers are queued, so the index is
built on first use.

Dedup blocking keys gain the offer's contract type and working time (which must agree anyway), so
a candidate lookup no longer wades through an employer's other contracts: existing keys are
re-filed from the stored fingerprints. Only published offers stay filed, keys are indexed by offer
too (re-filing one deleted by a scan), and fingerprints move to a narrow table of their own, so
dedup never reads the wide offers rows.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from services.core.search_index import queue_trigger_statements

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer, "sqlite")
SEARCH_ONLY_INDEXES = ("ix_offers_status_published", "ix_offers_departement", "ix_offers_contract", "ix_offers_commune",
                       "ix_offers_geo", "ix_offers_salary", "ix_offers_employer", "ix_offers_owner")


def upgrade() -> None:
    _refile_blocking_keys()
    _fingerprints_apart()
    op.drop_table("offer_terms")
    op.drop_table("offer_facet_counts")
    for name in SEARCH_ONLY_INDEXES:
        op.drop_index(name, table_name="offers")
    op.create_table("offer_search_queue", sa.Column("seq", SEQ, primary_key=True, autoincrement=False),
                    sa.Column("changes", sa.Integer, nullable=False))
    for statement in queue_trigger_statements(op.get_bind().dialect.name, "offers", "offer_search_queue", "seq",
                                              "offers_to_search"):
        op.execute(statement)
    op.execute("INSERT INTO offer_search_queue (seq, changes) SELECT seq, 1 FROM offers")


def _refile_blocking_keys() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"

    def fact(name: str) -> str:
        value = f"json_extract(o.fingerprint, '$.{name}')" if sqlite else f"(o.fingerprint::json ->> '{name}')"
        return f"(SELECT COALESCE({value}, '-') FROM offers o WHERE o.seq = offer_blocking_keys.offer_seq)"

    op.execute(f"UPDATE offer_blocking_keys SET key = key || '|' || {fact('t')} || '|' || {fact('w')}")


def _fingerprints_apart() -> None:
    op.create_index("ix_offer_blocking_keys_seq", "offer_blocking_keys", ["offer_seq"])
    op.execute("DELETE FROM offer_blocking_keys WHERE offer_seq IN (SELECT seq FROM offers WHERE status <> 'published')")
    op.create_table("offer_fingerprints",
                    sa.Column("seq", SEQ, sa.ForeignKey("offers.seq"), primary_key=True, autoincrement=False),
                    sa.Column("offer_id", sa.String(36), nullable=False),
                    sa.Column("fingerprint", sa.Text, nullable=False))
    op.execute("INSERT INTO offer_fingerprints (seq, offer_id, fingerprint) SELECT seq, id, fingerprint FROM offers")
    op.drop_column("offers", "fingerprint")


def downgrade() -> None:
    raise NotImplementedError("0002 is one way: the search index replaced the database's full-text table")
