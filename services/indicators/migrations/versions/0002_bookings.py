"""The booking facts of each first appointment, so a cancellation or a move corrects the delay indicators.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_bookings",
        sa.Column("appointment_id", sa.String(36), primary_key=True),
        sa.Column("facts", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("indicator_bookings")
