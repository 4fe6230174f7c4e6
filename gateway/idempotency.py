"""Idempotency keys are per client across the whole platform, and each service only sees its own.

The gateway sees every POST, so it binds a key, at first use, to the operation it was used for
(method and path). The same key on another operation, in this service or another, is a 409; on
the same operation it goes through, and the service replays its stored answer or, for another
body, refuses it itself (it compares bodies as JSON, where bytes would refuse a re-serialised retry).
Bindings are kept as long as the services keep their records: today, for good.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.core.db import Database, UniqueKeyTaken, UTCDateTime, utcnow
from services.core.idempotency import check_key
from services.core.problems import Problem


class _GatewayBase(DeclarativeBase):
    """The gateway's database holds this table only, none of the services' core tables."""


class KeyUse(_GatewayBase):
    __tablename__ = "idempotency_key_uses"

    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    operation: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class KeyRegistry:
    def __init__(self, db: Database) -> None:
        self.db = db
        # One table, created in place: the gateway has no migration history of its own yet.
        _GatewayBase.metadata.create_all(db.engine)

    def claim(self, client_id: str, key: str, method: str, path: str) -> None:
        """Bind `key` to this operation on first use; 409 if it is already bound to another."""
        check_key(key)
        operation = f"{method} {path}"
        for _ in range(2):
            try:
                with self.db.transaction() as session:
                    used = session.get(KeyUse, (client_id, key))
                    if used is None:
                        session.add(KeyUse(client_id=client_id, key=key, operation=operation))
                        return
            except (IntegrityError, UniqueKeyTaken):
                continue  # a concurrent first use committed first: compare with it
            if used.operation != operation:
                raise Problem(409, "This Idempotency-Key was already used for another operation; keys are per "
                                   "client across the whole platform.", slug="idempotency-key-reused")
            return
        raise Problem(409, "A request with this Idempotency-Key is still being processed; retry.",
                      slug="idempotency-conflict")
