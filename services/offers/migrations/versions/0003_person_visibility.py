"""Saved searches follow the platform's visibility rule: the person facts the rule reads (core's
projection of registration events and orientation decisions), and the subscriber's organisation
type and territories, so each match re-checks that the subscriber may still know the person.

Saved searches made before this revision were never checked: they get no organisation type, which
knows nobody, so they send nothing until a counsellor who may see the person saves them again.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from services.core.person_facts import create_person_facts_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_person_facts_table()
    with op.batch_alter_table("offer_subscriptions") as table:
        table.add_column(sa.Column("org_type", sa.String(30), nullable=False, server_default=""))
        table.add_column(sa.Column("org_territories", sa.JSON, nullable=False, server_default="[]"))
