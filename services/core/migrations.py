"""Migrations runner over each service's own alembic history (`make migrate`).

Every service keeps `services/<name>/migrations/` with a two-line env.py calling `run_env()`;
its first revision calls `create_platform_tables()` for the outbox, processed-event and
idempotency tables that core code relies on.
"""
from __future__ import annotations

import argparse
import logging

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config

from services.core.db import Base, make_engine
from services.core.manifest import load_manifest
from services.core.settings import REPO_ROOT, ServiceSettings


def alembic_config(service_name: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(REPO_ROOT / "services" / service_name / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(service_name: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service_name, database_url), revision)


def run_env() -> None:
    """Body of every service's env.py: online migrations on the configured URL."""
    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def create_platform_tables() -> None:
    """Core tables, frozen as of their first version (later changes get their own revisions)."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("traceparent", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_outbox_unpublished", "outbox", ["published_at", "id"])
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "idempotency_records",
        sa.Column("client_id", sa.String(200), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("headers", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Apply each service's migrations to its own database.")
    parser.add_argument("services", nargs="*", help="default: every service of deploy/services.yaml")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for name in args.services or [service.name for service in load_manifest().services]:
        settings = ServiceSettings.from_env(name)
        upgrade(name, settings.database_url)
        print(f"{name}: migrated")


if __name__ == "__main__":
    main()
