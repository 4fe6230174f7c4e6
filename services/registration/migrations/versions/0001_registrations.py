"""Registrations, plus the platform tables (outbox, processed events, idempotency records).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from services.core.migrations import create_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "registrations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("departement_code", sa.String(3), nullable=False),
        sa.Column("region_code", sa.String(3), nullable=False),
        sa.Column("birth_date", sa.Date, nullable=False, index=True),
        sa.Column("rsa_recipient", sa.Boolean, nullable=False),
        sa.Column("rqth", sa.Boolean, nullable=False),
        sa.Column("executive", sa.Boolean, nullable=False),
        sa.Column("nir_fingerprint", sa.String(64), unique=True),
        sa.Column("nir_masked", sa.String(32)),
        sa.Column("possible_duplicate_of", sa.String(36)),
        sa.Column("sections", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_registrations_territory_page", "registrations", ["departement_code", "created_at", "id"])
    op.create_index("ix_registrations_page", "registrations", ["created_at", "id"])


def downgrade() -> None:
    op.drop_table("registrations")
    for table in ("idempotency_records", "processed_events", "outbox"):
        op.drop_table(table)
