"""The access log keeps every service's accesses to the person's data: which service, and why a
refused attempt was refused (e.g. a registration with the person's NIR).

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
    op.add_column("dossier_access_log", sa.Column("service", sa.String(30), nullable=False, server_default="dossier"))
    op.add_column("dossier_access_log", sa.Column("reason", sa.String(300)))


def downgrade() -> None:
    with op.batch_alter_table("dossier_access_log") as table:
        table.drop_column("reason")
        table.drop_column("service")
