"""`Idempotency-Key` on every POST: the same key and body give the same answer, once.

The record is written in the same transaction as the effect it describes, so a crash can never
leave an effect without its record (a retry would then duplicate it) nor the reverse.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from sqlalchemy import Integer, String, Text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.core.db import Base, Database, UniqueKeyTaken, UTCDateTime, utcnow
from services.core.problems import Problem

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"

    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass
class StoredResponse:
    status_code: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    replayed: bool = False
    # What the record keeps and a replay answers, when the first answer shows something once (a signing
    # secret): the record is another table, read by whoever reads idempotency records, and must not hold it.
    replay_body: Any = None

    def response(self) -> JSONResponse:
        """The HTTP answer; a replay says so, so a client can tell it did not act twice."""
        headers = {**self.headers, **({"Idempotent-Replayed": "true"} if self.replayed else {})}
        return JSONResponse(self.body, status_code=self.status_code, headers=headers)


_RESOURCE_NAMESPACE = uuid.UUID("6f1d8a52-3c5e-4b8e-9a51-0f7c2d9e4b10")


def resource_id(client_id: str, key: str | None) -> str:
    """A new resource's id: derived from (client, Idempotency-Key) when given, so a retried
    creation names the same resource and documented examples have stable ids; random otherwise."""
    if key is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(_RESOURCE_NAMESPACE, f"{client_id}\n{key}"))


def request_fingerprint(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps([method, path, payload], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str | None) -> None:
    if key is not None and not KEY_PATTERN.match(key):
        raise Problem(422, "Idempotency-Key must be 1 to 200 visible ASCII characters.",
                      slug="validation-error", errors=[{"field": "Idempotency-Key", "message": "invalid key"}])


def run_idempotent(db: Database, client_id: str, key: str | None, fingerprint: str,
                   operation: Callable[[Session], StoredResponse]) -> StoredResponse:
    """Run `operation` in one transaction, or replay the answer stored under (client, key)."""
    check_key(key)
    if key is None:
        with db.transaction() as session:
            return operation(session)
    for _ in range(2):
        with db.transaction() as session:
            previous = session.get(IdempotencyRecord, (client_id, key))
            if previous is not None:
                return _replay(previous, fingerprint)
        try:
            with db.transaction() as session:
                response = operation(session)
                session.add(IdempotencyRecord(
                    client_id=client_id, key=key, request_hash=fingerprint, status_code=response.status_code,
                    body=json.dumps(response.body if response.replay_body is None else response.replay_body,
                                    default=str), headers=json.dumps(response.headers),
                ))
            return response
        except (IntegrityError, UniqueKeyTaken):
            continue  # a concurrent request with the same key committed first: replay its answer
    raise Problem(409, "A request with this Idempotency-Key is still being processed; retry.", slug="idempotency-conflict")


def _replay(record: IdempotencyRecord, fingerprint: str) -> StoredResponse:
    if record.request_hash != fingerprint:
        raise Problem(409, "This Idempotency-Key was already used with a different request.",
                      slug="idempotency-key-reused")
    return StoredResponse(record.status_code, json.loads(record.body), json.loads(record.headers), replayed=True)


def idempotent_response(request: Request, db: Database, client_id: str, key: str | None, payload: Any,
                        operation: Callable[[Session], StoredResponse]) -> JSONResponse:
    """A POST in one transaction, replayed from its Idempotency-Key when retried: the answer of
    every route that creates or acts."""
    fingerprint = request_fingerprint(request.method, request.url.path, payload)
    return run_idempotent(db, client_id, key, fingerprint, operation).response()
