"""Rows and aggregates as the API answers them."""
from __future__ import annotations

from typing import Any

from services.webhooks.domain.endpoint import Endpoint


def endpoint(e: Endpoint) -> dict[str, Any]:
    return {"id": e.id, "url": e.url, "event_types": list(e.event_types), "filter": e.filter.to_dict(),
            "technical_contact": e.technical_contact, "description": e.description, "state": e.state.value,
            "state_reason": e.state_reason.value if e.state_reason else None, "version": e.version,
            "created_at": e.created_at}


def delivery(row: Any, attempts: list[Any]) -> dict[str, Any]:
    """A delivery row and its attempts (the adapters' rows, read by attribute)."""
    return {"id": row.id, "event_type": row.event_type, "subject": row.subject, "status": row.status,
            "attempts": row.attempts, "next_attempt_at": row.next_attempt_at if row.status == "pending" else None,
            "last_status_code": row.last_status_code, "created_at": row.created_at, "finished_at": row.finished_at,
            "replay_of": row.replay_of, "attempt_log": [
                {"number": a.number, "attempted_at": a.attempted_at, "status_code": a.status_code, "error": a.error,
                 "duration_ms": a.duration_ms} for a in attempts]}
