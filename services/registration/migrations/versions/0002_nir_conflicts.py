"""NIR conflicts met by each client: the allowance that keeps the NIR check from being an oracle.

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
        "registration_nir_conflicts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_registration_nir_conflicts_client", "registration_nir_conflicts", ["client_id", "at"])


def downgrade() -> None:
    op.drop_table("registration_nir_conflicts")
