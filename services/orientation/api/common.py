"""What every orientation route shares: domain refusals as problem+json, idempotent POSTs."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from services.core.app import Platform
from services.core.identity import Caller
from services.core.idempotency import StoredResponse, request_fingerprint, run_idempotent
from services.core.problems import Problem
from services.orientation.domain.model import InvalidTransition, OrientationError
from services.orientation.domain.referential import InvalidReferential
from services.orientation.service.appointments import SlotTaken
from services.orientation.service.handlers import Forbidden, NotFound

T = TypeVar("T")
UUID_PATTERN = r"^[0-9a-f-]{36}$"
IfMatch = Annotated[str | None, Header(alias="If-Match", description="ETag of the orientation you read.",
                                       examples=['"1"'])]


def idempotency_key(example: str):
    # Keys are per client across operations: each operation's example needs its own key.
    return Annotated[str | None, Header(alias="Idempotency-Key", description=(
        "Makes the POST safe to retry: the same key and body return the first answer; "
        "another body with the same key gets 409."), examples=[example])]


def domain_errors(fn: Callable[[], T], not_found: str = "No orientation of this person is visible to your "
                                                           "organisation.") -> T:
    try:
        return fn()
    except InvalidReferential as exc:
        raise Problem(422, f"The referential is not valid: {exc}.", slug="validation-error",
                      errors=[{"field": f"referential.{exc.field}", "message": exc.message}]) from exc
    except SlotTaken as exc:
        raise Problem(409, str(exc), slug="slot-taken") from exc
    except InvalidTransition as exc:
        raise Problem(409, str(exc), slug="invalid-transition") from exc
    except OrientationError as exc:
        raise Problem(422, str(exc), slug="validation-error",
                      errors=[{"field": exc.field or "body", "message": str(exc)}]) from exc
    except NotFound as exc:
        raise Problem(404, not_found, slug="not-found") from exc
    except Forbidden as exc:
        raise Problem(403, str(exc), slug="forbidden") from exc


def run_post(request: Request, platform: Platform, caller: Caller, key: str | None, payload: Any,
             operation: Callable[[Session], StoredResponse], not_found: str | None = None) -> JSONResponse:
    """A POST in one transaction, replayed from its Idempotency-Key when retried."""
    fingerprint = request_fingerprint(request.method, request.url.path, payload)
    stored = domain_errors(lambda: run_idempotent(platform.db, caller.client_id, key, fingerprint, operation),
                           *([not_found] if not_found else []))
    return stored.response()
