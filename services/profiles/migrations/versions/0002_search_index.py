"""Search moves to the search index (adapters/search_index.py, on the core's): the table of search
terms goes; a queue, filled by triggers on every insert or update of a profile, tells the index what
to (re)index. Existing profiles are queued, so the index is built on first use.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from services.core.search_index import queue_trigger_statements

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_profile_terms_person", table_name="profile_terms")
    op.drop_table("profile_terms")
    op.create_table("profile_search_queue", sa.Column("person_id", sa.String(36), primary_key=True),
                    sa.Column("changes", sa.Integer, nullable=False))
    for statement in queue_trigger_statements(op.get_bind().dialect.name, "profiles", "profile_search_queue",
                                              "person_id", "profiles_to_search"):
        op.execute(statement)
    op.execute("INSERT INTO profile_search_queue (person_id, changes) SELECT person_id, 1 FROM profiles")


def downgrade() -> None:
    raise NotImplementedError("0002 is one way: the search index replaced the table of search terms")
