"""Indicator cells per territory, month and breakdown, each person's place and the person facts
waiting for their registration, plus the platform tables.

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

KEY = (("indicator", 60), ("measure", 12), ("level", 12), ("territory", 40), ("month", 7), ("breakdown", 40),
       ("category", 60))


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "indicator_cells",
        *(sa.Column(name, sa.String(size), primary_key=True) for name, size in KEY),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "indicator_person_places",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("commune_code", sa.String(5), nullable=False),
    )
    op.create_table(
        "indicator_early_events",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_indicator_early_events_person_id", "indicator_early_events", ["person_id"])


def downgrade() -> None:
    for table in ("indicator_early_events", "indicator_person_places", "indicator_cells", "idempotency_records",
                  "processed_events", "outbox"):
        op.drop_table(table)
