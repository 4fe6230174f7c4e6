"""The refusals domain and service code raise, free of any framework.

Each kind says what went wrong in the caller's terms; `services.core.problems` maps each kind to its
HTTP status and problem+json in one place, so a service never writes its own translation. A
subclass may narrow the problem `slug` (e.g. `slot-taken` for a conflict) and carry `details` that
become extension members of the problem (e.g. the current ETag of a stale resource).
"""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every refusal; `field` names the input at fault when there is one."""

    slug = "domain-error"

    def __init__(self, message: str, *, field: str | None = None, slug: str | None = None,
                 **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if slug:
            self.slug = slug
        self.details = details


class NotFound(DomainError):
    """Unknown, or not visible to this caller: the two are indistinguishable on purpose, so an
    organisation cannot learn that a person it may not see exists."""

    slug = "not-found"


class Forbidden(DomainError):
    """The caller may know the object but not do this to it."""

    slug = "forbidden"


class Conflict(DomainError):
    """The command contradicts the current state (a duplicate, a slot already taken)."""

    slug = "conflict"


class InvalidTransition(Conflict):
    """The command does not apply to the aggregate's current status."""

    slug = "invalid-transition"


class PreconditionFailed(DomainError):
    """The caller's version of the object is stale (If-Match no longer matches)."""

    slug = "stale-etag"


class PreconditionRequired(DomainError):
    """A conditional header is required here: concurrent partners write this object."""

    slug = "precondition-required"


class LimitReached(DomainError):
    """The caller used up an allowance (e.g. a daily quota); it may try again after `retry_after_seconds`."""

    slug = "quota-exceeded"

    def __init__(self, message: str, *, retry_after_seconds: int, **details: Any) -> None:
        super().__init__(message, **details)
        self.retry_after_seconds = retry_after_seconds


class RuleBroken(DomainError):
    """The input breaks a business rule; `errors` lists each field at fault when there are several."""

    slug = "validation-error"

    def __init__(self, message: str, *, field: str | None = None, errors: list[dict[str, str]] | None = None,
                 slug: str | None = None, **details: Any) -> None:
        super().__init__(message, field=field, slug=slug, **details)
        self.errors = errors or [{"field": field or "body", "message": message}]
