"""The person's own door (issue 15): a read made for a control keeps when its procedure closed, so the
person's access log shows it from then on. Correction requests live in the sections table.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dossier_access_log", sa.Column("procedure_closed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("dossier_access_log") as table:
        table.drop_column("procedure_closed_at")
