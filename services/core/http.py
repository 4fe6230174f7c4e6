"""HTTP conventions shared by every API: ETags, If-Match, cursor pagination, body size limit."""
from __future__ import annotations

import base64
import json
import re
from datetime import date, datetime, timezone
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter
from starlette.convertors import Convertor, register_url_convertor
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.problems import Problem, problem_response

PROBLEM_CONTENT = {"application/problem+json": {}}
AUTH_ERRORS = {
    401: "Missing, invalid or expired access token.",
    403: "The token lacks the scope, or your organisation may not act on this resource.",
}

MAX_PAGE_SIZE = 100
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}.")]
Cursor = Annotated[str | None, Query(max_length=500, description="Opaque cursor from `next_cursor`.")]


_LAX_DATETIME = TypeAdapter(datetime)
_LAX_DATE = TypeAdapter(date)


def _rfc3339_only(value: Any) -> Any:
    # Pydantic would also read a number ("0.5") as seconds since 1970: dates here are RFC 3339 only.
    if not isinstance(value, str):
        return value
    if not re.match(r"\d{4}-\d{2}-\d{2}[Tt ]", value):
        raise ValueError("expected an RFC 3339 date-time, e.g. 2026-11-23T09:30:00Z")
    parsed = _LAX_DATETIME.validate_python(value)
    try:  # Stored and compared in UTC: 0001-01-01T00:00+03:00 has no UTC equivalent.
        parsed.astimezone(timezone.utc)
    except OverflowError as exc:
        raise ValueError("date-time out of range once converted to UTC") from exc
    return parsed


def _iso_date_only(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected an ISO 8601 date, e.g. 2026-11-23")
    return _LAX_DATE.validate_python(value)


DateTime = Annotated[datetime, BeforeValidator(_rfc3339_only)]
Date = Annotated[date, BeforeValidator(_iso_date_only)]


class RequestBody(BaseModel):
    """Base of every request body. Unknown fields are a 422 (a typo or a read-only field is never
    silently ignored), and JSON types are kept as published: `1` is not `true`, `"1"` not a number."""

    model_config = ConfigDict(extra="forbid", strict=True)


class _Text(Convertor):
    """A path parameter kept as the text it matched; subclasses say which text by `regex`."""

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class _UUIDText(_Text):
    """`/{offer_id:uuid_text}`: the segment must be a UUID, kept as text. A fixed sibling such as
    `/imports` then never matches `/{offer_id}`, so a 405's Allow header lists only the methods
    that path really has."""

    regex = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class _AnyPath(_Text):
    """`/{rest:any_path}`: the rest of the path, whatever it holds. Starlette's `path` convertor
    is `.*`, which stops at a newline: a proxy on it answered 404 for `%0A` in a segment instead
    of passing the request on to the service that validates it."""

    regex = "[\\s\\S]*"


register_url_convertor("uuid_text", _UUIDText())
register_url_convertor("any_path", _AnyPath())


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int) -> None:
    """`428` without If-Match (concurrent partners write), `412` when the version moved on."""
    if if_match is None:
        raise Problem(428, "This update requires an If-Match header with the resource's current ETag.",
                      slug="precondition-required")
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in candidates and etag(version) not in candidates:
        raise Problem(412, "The resource changed since you read it; read it again and reapply your change.",
                      slug="stale-etag", current_etag=etag(version))


def documented(ok: int, example: Any, errors: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route: the success example, then each error status with its meaning
    (published as problem+json)."""
    out: dict[int | str, dict[str, Any]] = {ok: {"content": {"application/json": {"example": example}}}}
    out.update({code: {"description": text, "content": PROBLEM_CONTENT} for code, text in errors.items()})
    return out


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != arity:
            raise ValueError
        return values
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(422, "The cursor is not valid; use next_cursor from the previous page.",
                      slug="validation-error", errors=[{"field": "cursor", "message": "invalid cursor"}]) from exc


class BodySizeLimit:
    """ASGI middleware: `413` for a body over the limit, declared or streamed. `larger` raises the
    limit under some path prefixes (bulk uploads), the longest matching prefix deciding."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = sorted((larger or {}).items(), key=lambda item: len(item[0]), reverse=True)

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.larger:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await self._reject(scope, receive, send, limit)
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._reject(scope, receive, send, limit)

    async def _reject(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        problem = Problem(413, f"The request body exceeds {limit} bytes.", slug="payload-too-large")
        await problem_response(problem)(scope, receive, send)


class _TooLarge(Exception):
    pass
