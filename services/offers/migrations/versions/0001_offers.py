"""Offers: canonical offers and their sources, findings, facet counts, full-text index, imports,
saved searches and matches, plus the platform tables (outbox, processed events, idempotency).

The full-text index depends on the database: an FTS5 table on SQLite, a tsvector column with a GIN
index on PostgreSQL; both hold the folded terms of adapters/search.py, keyed by the offer's `seq`.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.core.migrations import create_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
SEQ = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    create_platform_tables()
    _offers()
    _sources_and_findings()
    _full_text_index()
    _imports()
    _subscriptions()


def _offers() -> None:
    op.create_table(
        "offers",
        sa.Column("seq", SEQ, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("owner_org_id", sa.String(100), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("contract_type", sa.String(3)),
        sa.Column("departement_code", sa.String(3)),
        sa.Column("commune_code", sa.String(5)),
        sa.Column("rome_code", sa.String(5)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("salary_top_yearly", sa.Integer),
        sa.Column("salary_mid_yearly", sa.Float),
        sa.Column("contract_duration_months", sa.SmallInteger),
        sa.Column("weekly_hours", sa.Float),
        sa.Column("employer_siret", sa.String(14)),
        sa.Column("accessible", sa.Boolean, nullable=False),
        sa.Column("ends_on", sa.Date),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("published_at", TZ),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("closed_at", TZ),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("draft", sa.JSON, nullable=False),
    )
    for name, columns in (
        ("ix_offers_status_published", ["status", "published_at", "seq"]),
        ("ix_offers_departement", ["status", "departement_code", "published_at"]),
        ("ix_offers_rome", ["status", "rome_code", "departement_code", "published_at"]),
        ("ix_offers_contract", ["status", "contract_type", "published_at"]),
        ("ix_offers_commune", ["status", "commune_code"]),
        ("ix_offers_geo", ["status", "latitude", "longitude"]),
        ("ix_offers_salary", ["status", "salary_top_yearly"]),
        ("ix_offers_employer", ["employer_siret", "status", "published_at"]),
        ("ix_offers_owner", ["owner_org_id", "status", "published_at"]),
        ("ix_offers_ends_on", ["status", "ends_on"]),
    ):
        op.create_index(name, "offers", columns)
    op.create_table(
        "offer_facet_counts",
        sa.Column("contract_type", sa.String(3), primary_key=True),
        sa.Column("departement_code", sa.String(3), primary_key=True),
        sa.Column("rome_code", sa.String(5), primary_key=True),
        sa.Column("accessible", sa.Boolean, primary_key=True),
        sa.Column("offers", sa.Integer, nullable=False),
    )


def _sources_and_findings() -> None:
    op.create_table(
        "offer_sources",
        sa.Column("id", SEQ, primary_key=True, autoincrement=True),
        sa.Column("offer_seq", SEQ, sa.ForeignKey("offers.seq"), nullable=False, index=True),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("source_offer_id", sa.String(200), nullable=False),
        sa.Column("publisher_org_id", sa.String(100), nullable=False),
        sa.Column("url", sa.String(2000)),
        sa.Column("primary", sa.Boolean, nullable=False),
        sa.Column("similarity", sa.Float),
        sa.Column("draft", sa.JSON, nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("source", "source_offer_id", name="uq_offer_sources_source_id"),
    )
    op.create_table(
        "offer_blocking_keys",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("offer_seq", SEQ, sa.ForeignKey("offers.seq"), primary_key=True),
    )
    op.create_table(
        "offer_findings",
        sa.Column("offer_seq", SEQ, sa.ForeignKey("offers.seq"), primary_key=True),
        sa.Column("position", sa.SmallInteger, primary_key=True),
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("excerpt", sa.Text, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("legal_basis", sa.String(300), nullable=False),
    )


def _full_text_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Folded terms only (no positions needed: queries are conjunctions of terms); the title column
        # weighs more in bm25.
        op.execute("CREATE VIRTUAL TABLE offer_terms USING fts5(title, body, detail=column)")
        return
    op.create_table(
        "offer_terms",
        sa.Column("seq", sa.BigInteger, sa.ForeignKey("offers.seq"), primary_key=True),
        sa.Column("terms", postgresql.TSVECTOR, nullable=False),
    )
    op.execute("CREATE INDEX ix_offer_terms_gin ON offer_terms USING gin (terms) WITH (fastupdate = on)")


def _imports() -> None:
    op.create_table(
        "offer_imports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("org_id", sa.String(100), nullable=False),
        sa.Column("publisher", sa.JSON, nullable=False),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in (
            "lines_total", "lines_done", "created", "updated", "merged", "quarantined", "unchanged", "rejected")),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("started_at", TZ),
        sa.Column("progress_at", TZ),
        sa.Column("finished_at", TZ),
    )
    op.create_index("ix_offer_imports_status", "offer_imports", ["status", "created_at"])
    op.create_table(
        "offer_import_errors",
        sa.Column("import_id", sa.String(36), sa.ForeignKey("offer_imports.id"), primary_key=True),
        sa.Column("line", sa.Integer, primary_key=True),
        sa.Column("errors", sa.JSON, nullable=False),
    )


def _subscriptions() -> None:
    op.create_table(
        "offer_subscriptions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False, index=True),
        sa.Column("org_id", sa.String(100), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_offer_subscriptions_org", "offer_subscriptions", ["org_id", "created_at", "id"])
    op.create_table(
        "offer_subscription_keys",
        sa.Column("key", sa.String(20), primary_key=True),
        sa.Column("subscription_id", sa.String(36),
                  sa.ForeignKey("offer_subscriptions.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "offer_matches",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("offer_id", sa.String(36), primary_key=True),
        sa.Column("subscription_id", sa.String(36), nullable=False),
        sa.Column("matched_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in ("offer_matches", "offer_subscription_keys", "offer_subscriptions", "offer_import_errors",
                  "offer_imports", "offer_terms", "offer_findings", "offer_blocking_keys", "offer_sources", "offer_facet_counts", "offers",
                  "idempotency_records", "processed_events", "outbox"):
        op.drop_table(table)
