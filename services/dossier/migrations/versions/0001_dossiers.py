"""Dossier sections, the change history and the access log, plus the platform tables.

The two journals are append-only in the database itself: triggers refuse UPDATE and DELETE (and
TRUNCATE on PostgreSQL), so neither a bug nor a stray script can rewrite who saw or changed a file.

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

JOURNALS = ("dossier_changes", "dossier_access_log")


def _who() -> list[sa.Column]:
    return [sa.Column("client_id", sa.String(200), nullable=False), sa.Column("org_id", sa.String(200), nullable=False),
            sa.Column("org_type", sa.String(30), nullable=False), sa.Column("at", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    create_platform_tables()
    op.create_table(
        "dossier_sections",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("section", sa.String(30), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "dossier_changes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("section", sa.String(30), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        *_who(),
    )
    op.create_index("ix_dossier_changes_person", "dossier_changes", ["person_id", "id"])
    op.create_table(
        "dossier_access_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("access", sa.String(10), nullable=False),
        sa.Column("sections", sa.JSON, nullable=False),
        sa.Column("purpose", sa.String(30)),
        *_who(),
    )
    op.create_index("ix_dossier_access_log_person", "dossier_access_log", ["person_id", "id"])
    _make_append_only()


def _make_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION dossier_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$")
        for table in JOURNALS:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION dossier_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION dossier_append_only()")
        return
    for table in JOURNALS:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def downgrade() -> None:
    for table in ("dossier_access_log", "dossier_changes", "dossier_sections", "idempotency_records",
                  "processed_events", "outbox"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION dossier_append_only()")
