"""What every offers route shares: domain refusals as problem+json, idempotent POSTs, headers."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from services.core.app import Platform
from services.core.identity import Caller
from services.core.idempotency import StoredResponse, request_fingerprint, run_idempotent
from services.core.problems import Problem, validation_problem
from services.offers.adapters.import_files import BadFile
from services.offers.adapters.search import InvalidCursor
from services.offers.domain.model import InvalidOffer
from services.offers.service.lifecycle import InvalidTransition
from services.offers.service.policy import Forbidden, NotFound
from services.offers.service.subscriptions import InvalidCriteria

T = TypeVar("T")
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
NOT_VISIBLE = "No offer with this id is visible to your organisation."
IfMatch = Annotated[str | None, Header(alias="If-Match", description="ETag of the offer you read.", examples=['"1"'])]


def idempotency_key(example: str):
    # Keys are per client across operations: each operation's example needs its own key.
    return Annotated[str | None, Header(alias="Idempotency-Key", description=(
        "Makes the POST safe to retry: the same key and body return the first answer; "
        "another body with the same key gets 409."), examples=[example])]


def domain_errors(fn: Callable[[], T], not_found: str = NOT_VISIBLE) -> T:
    try:
        return fn()
    except InvalidOffer as exc:
        raise Problem(422, f"The offer is not valid: {_fields(exc.errors)}.", slug="invalid-offer",
                      errors=exc.errors) from exc
    except InvalidCriteria as exc:
        raise validation_problem(exc.errors) from exc
    except InvalidCursor as exc:
        raise Problem(422, "The cursor is not valid; use next_cursor from the previous page.", slug="validation-error",
                      errors=[{"field": "cursor", "message": "invalid cursor"}]) from exc
    except InvalidTransition as exc:
        raise Problem(409, str(exc), slug="invalid-transition") from exc
    except NotFound as exc:
        raise Problem(404, not_found, slug="not-found") from exc
    except Forbidden as exc:
        raise Problem(403, str(exc), slug="forbidden", errors=[{"field": exc.field, "message": str(exc)}]) from exc


def run_post(request: Request, platform: Platform, caller: Caller, key: str | None, payload: Any,
             operation: Callable[[Session], StoredResponse], not_found: str = NOT_VISIBLE) -> JSONResponse:
    """A POST in one transaction, replayed from its Idempotency-Key when retried."""
    fingerprint = request_fingerprint(request.method, request.url.path, payload)
    stored = domain_errors(lambda: run_idempotent(platform.db, caller.client_id, key, fingerprint, operation),
                           not_found)
    return stored.response()


def bad_file(exc: BadFile) -> Problem:
    return Problem(422, f"The file cannot be imported: {exc}.", slug="bad-import-file",
                   errors=[{"field": "body", "message": str(exc)}])


def field_problem(field: str, message: str) -> Problem:
    return validation_problem([{"field": field, "message": message}])


def _fields(errors: list[dict[str, str]]) -> str:
    return ", ".join(sorted({e["field"] or "body" for e in errors}))
