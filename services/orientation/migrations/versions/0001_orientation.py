"""Orientation: persons and decisions, referential versions, slots, appointments, reminders, plus
the platform tables (outbox, processed events, idempotency records).

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
        "orientation_persons",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("commune_code", sa.String(5), nullable=False),
        sa.Column("departement_code", sa.String(3), nullable=False, index=True),
        sa.Column("rsa_recipient", sa.Boolean, nullable=False),
        sa.Column("rqth", sa.Boolean, nullable=False),
        sa.Column("executive", sa.Boolean, nullable=False),
        sa.Column("pre_diagnostic", sa.JSON),
        sa.Column("registered_at", TZ, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20)),
        sa.Column("referent_org_id", sa.String(100)),
        sa.Column("decision_due_at", TZ),
        sa.Column("preferred_org_type", sa.String(30)),
    )
    op.create_index("ix_orientation_persons_due", "orientation_persons", ["status", "decision_due_at"])
    op.create_table(
        "orientation_decisions",
        sa.Column("decision_id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("orientation_persons.person_id"), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.UniqueConstraint("person_id", "sequence", name="uq_orientation_decisions_sequence"),
    )
    op.create_table(
        "orientation_referentials",
        sa.Column("territory", sa.String(10), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "orientation_slots",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.String(100), nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("location", sa.String(300)),
        sa.Column("appointment_id", sa.String(36)),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_orientation_slots_org_page", "orientation_slots", ["org_id", "starts_at", "id"])
    op.create_index("ix_orientation_slots_page", "orientation_slots", ["starts_at", "id"])
    op.create_table(
        "orientation_appointments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("slot_id", sa.String(36), sa.ForeignKey("orientation_slots.id"), nullable=False, unique=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("orientation_persons.person_id"), nullable=False,
                  index=True),
        sa.Column("org_id", sa.String(100), nullable=False),
        sa.Column("decision_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("starts_at", TZ, nullable=False, index=True),
        sa.Column("delay_days", sa.Integer, nullable=False),
        sa.Column("booked_at", TZ, nullable=False),
        sa.Column("booked_by", sa.String(100), nullable=False),
        sa.Column("no_show_recorded_at", TZ),
    )
    op.create_table(
        "orientation_reminders",
        sa.Column("appointment_id", sa.String(36), sa.ForeignKey("orientation_appointments.id"), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("sent_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in ("orientation_reminders", "orientation_appointments", "orientation_slots",
                  "orientation_referentials", "orientation_decisions", "orientation_persons",
                  "idempotency_records", "processed_events", "outbox"):
        op.drop_table(table)
