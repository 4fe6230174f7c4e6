"""People's contacts and the send records of their reminders, plus the platform tables (outbox,
processed events, idempotency records).

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
        "notification_contacts",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("email", sa.String(254)),
        sa.Column("phone", sa.String(32)),
        sa.Column("preferred_channel", sa.String(20)),
        sa.Column("opted_out_channels", sa.JSON, nullable=False),
        sa.Column("changed_at", TZ, nullable=False),
    )
    op.create_table(
        "notification_send_records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False, index=True),
        sa.Column("reminder", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(30)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TZ),
        sa.Column("last_error", sa.String(200)),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.UniqueConstraint("event_id", "channel"),
    )
    op.create_index("ix_notification_send_records_due", "notification_send_records", ["status", "next_attempt_at"])


def downgrade() -> None:
    for table in ("notification_send_records", "notification_contacts", "idempotency_records", "processed_events",
                  "outbox"):
        op.drop_table(table)
