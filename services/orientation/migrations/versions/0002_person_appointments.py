"""A person moves or cancels their own appointment (issue 15): a cancelled appointment keeps its slot
for the person's history but no longer holds it, so the slot's uniqueness counts held appointments only.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

HOLDS_SLOT = sa.text("status != 'cancelled'")
# SQLite names the column's unique constraint nothing: batch mode names it by this convention to drop it.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("orientation_appointments", naming_convention=NAMING) as table:
        table.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True)))
        table.drop_constraint("orientation_appointments_slot_id_key" if postgresql
                              else "uq_orientation_appointments_slot_id", type_="unique")
    op.create_index("uq_orientation_appointments_slot_held", "orientation_appointments", ["slot_id"], unique=True,
                    sqlite_where=HOLDS_SLOT, postgresql_where=HOLDS_SLOT)


def downgrade() -> None:
    op.drop_index("uq_orientation_appointments_slot_held", "orientation_appointments")
    with op.batch_alter_table("orientation_appointments") as table:
        table.create_unique_constraint("uq_orientation_appointments_slot_id", ["slot_id"])
        table.drop_column("cancelled_at")
