"""Lapses, cases, each territory's scale version and the person facts the visibility rule reads,
plus the platform tables (outbox, processed events, idempotency records).

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


def upgrade() -> None:
    create_platform_tables()
    create_person_facts_table()
    op.create_table(
        "sanction_lapses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("obligation", sa.String(40), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("recorded_at", TZ, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("territory", sa.String(3), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("case_id", sa.String(36)),
    )
    op.create_index("ix_sanction_lapses_waiting", "sanction_lapses", ["person_id", "obligation", "case_id"])
    op.create_table(
        "sanction_cases",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("territory", sa.String(3), nullable=False),
        sa.Column("public", sa.String(10), nullable=False),
        sa.Column("scale_version", sa.String(10), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("observation_ends_at", TZ, nullable=False),
        sa.Column("rule", sa.String(60), nullable=False),
        sa.Column("consequence_kind", sa.String(40)),
        sa.Column("document", sa.JSON, nullable=False),
    )
    op.create_index("ix_sanction_cases_due", "sanction_cases", ["status", "observation_ends_at"])
    op.create_index("ix_sanction_cases_person", "sanction_cases", ["person_id", "status"])
    op.create_index("ix_sanction_cases_territory", "sanction_cases", ["territory", "public", "opened_at"])
    op.create_table(
        "sanction_scale_choices",
        sa.Column("territory", sa.String(3), primary_key=True),
        sa.Column("version", sa.String(10), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("changed_at", TZ, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("comment", sa.Text),
    )


def downgrade() -> None:
    for table in ("sanction_scale_choices", "sanction_cases", "sanction_lapses", "person_facts", "idempotency_records",
                  "processed_events", "outbox"):
        op.drop_table(table)
