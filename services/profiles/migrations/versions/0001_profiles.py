"""Profiles, their search terms, kept offers, introductions, access log and daily view counters,
plus the platform tables (outbox, processed events, idempotency records).

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

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "profiles",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False, index=True),
        sa.Column("departement_code", sa.String(3), nullable=False),
        sa.Column("region_code", sa.String(3), nullable=False),
        sa.Column("referent_org_id", sa.String(100)),
        sa.Column("findable_employers", sa.Boolean, nullable=False, index=True),
        sa.Column("findable_temp_agencies", sa.Boolean, nullable=False, index=True),
        sa.Column("findable_counsellors", sa.Boolean, nullable=False, index=True),
        sa.Column("working_time", sa.String(20)),
        sa.Column("available_from", sa.Date),
        sa.Column("driving_licence", sa.Boolean, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "profile_terms",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("value", sa.String(200), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
    )
    op.create_index("ix_profile_terms_person", "profile_terms", ["person_id"])
    op.create_table(
        "kept_offers",
        sa.Column("offer_id", sa.String(36), primary_key=True),
        sa.Column("owner_org_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rome_code", sa.String(5)),
        sa.Column("commune_code", sa.String(5)),
        sa.Column("contract_type", sa.String(5)),
        sa.Column("working_time", sa.String(20)),
    )
    op.create_table(
        "introductions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("requester_org_id", sa.String(100), nullable=False),
        sa.Column("requester_org_type", sa.String(30), nullable=False),
        sa.Column("requester_client_id", sa.String(200), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("departement_code", sa.String(3), nullable=False),
        sa.Column("offer_id", sa.String(36)),
        sa.Column("message", sa.Text),
        sa.Column("requested_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40)),
        sa.Column("answered_at", TZ),
        sa.Column("answered_by", sa.String(100)),
        sa.Column("contact_released_at", TZ),
        sa.Column("outcome", sa.String(20)),
        sa.Column("outcome_reason", sa.String(40)),
        sa.Column("outcome_at", TZ),
    )
    op.create_index("ix_introductions_due", "introductions", ["status", "expires_at"])
    op.create_index("ix_introductions_person", "introductions", ["person_id", "requested_at"])
    op.create_table(
        "profile_access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("org_id", sa.String(100), nullable=False),
        sa.Column("org_type", sa.String(30), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("reference", sa.String(36)),
    )
    op.create_index("ix_profile_access_person", "profile_access_log", ["person_id", "id"])
    op.create_table(
        "profile_early_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("envelope", sa.JSON, nullable=False),
    )
    op.create_index("ix_profile_early_events_person", "profile_early_events", ["person_id", "seq"])
    op.create_table(
        "profile_daily_views",
        sa.Column("org_id", sa.String(100), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("views", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("profile_daily_views", "profile_early_events", "profile_access_log", "introductions", "kept_offers", "profile_terms",
                  "profiles", "idempotency_records", "processed_events", "outbox"):
        op.drop_table(table)
