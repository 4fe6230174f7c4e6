"""Endpoints, changes, subjects' sequences, deliveries and attempts, the person facts the visibility
rule reads, plus the platform tables (outbox, processed events, idempotency records).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from services.core.migrations import create_platform_tables
from services.core.person_facts import create_person_facts_table

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
POSITION = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    create_platform_tables()
    create_person_facts_table()
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(100), nullable=False, index=True),
        sa.Column("org_type", sa.String(40), nullable=False),
        sa.Column("org_territories", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        sa.Column("filter", sa.JSON, nullable=False),
        sa.Column("secrets", sa.JSON, nullable=False),
        sa.Column("technical_contact", sa.String(254)),
        sa.Column("description", sa.String(500)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("state_reason", sa.String(20)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "webhook_subjects",
        sa.Column("subject", sa.String(36), primary_key=True),
        sa.Column("sequence", sa.Integer, nullable=False),
    )
    op.create_table(
        "webhook_changes",
        sa.Column("position", POSITION, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(36), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("departement_code", sa.String(3)),
        sa.Column("publisher", sa.String(100)),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_webhook_changes_time", "webhook_changes", ["occurred_at"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("endpoint_id", sa.String(36), nullable=False),
        sa.Column("change_position", POSITION),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TZ),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("last_error", sa.String(500)),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("replay_of", sa.String(40)),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_webhook_deliveries_subject", "webhook_deliveries", ["endpoint_id", "subject", "status"])
    op.create_index("ix_webhook_deliveries_endpoint", "webhook_deliveries", ["endpoint_id", "created_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("delivery_id", sa.String(40), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("attempted_at", TZ, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("error", sa.String(500)),
        sa.Column("duration_ms", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("webhook_attempts", "webhook_deliveries", "webhook_changes", "webhook_subjects", "webhook_endpoints",
                  "person_facts", "idempotency_records", "processed_events", "outbox"):
        op.drop_table(table)
