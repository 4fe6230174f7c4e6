"""Databases for the suite: a fresh SQLite file, or a fresh database on the test PostgreSQL."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from services.core.migrations import upgrade


def postgres_admin_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL")


@contextmanager
def fresh_database(backend: str, tmp_path: Path, service: str):
    """Yield a migrated, empty database URL for `service`, dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / f'{service}.db'}"
        upgrade(service, url)
        yield url
        return
    admin_url = postgres_admin_url()
    if not admin_url:
        raise RuntimeError("TEST_DATABASE_URL is not set: run the suite with `make test`, which starts PostgreSQL")
    name = f"{service}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(service, url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
