"""HTTP conventions shared by every API: ETags, If-Match, cursor pagination, body size limit."""
from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Header, Path, Query
from fastapi.routing import APIRoute
from pydantic import (
    BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, TypeAdapter, create_model, model_validator,
)
from pydantic.fields import FieldInfo
from starlette.convertors import Convertor, register_url_convertor
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.codes import ID_LENGTH, ID_PATTERN, checked_against
from services.core.errors import PreconditionFailed, PreconditionRequired, RuleBroken
from services.core.idempotency import KEY_PATTERN
from services.core.problems import Problem, problem_response

PROBLEM_CONTENT = {"application/problem+json": {}}
AUTH_ERRORS = {
    401: "Missing, invalid or expired access token.",
    403: "The token lacks the scope, or your organisation may not act on this resource.",
}

MAX_PAGE_SIZE = 100
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}.")]
# Cursors are URL-safe base64 (encode_cursor); padding is tolerated.
Cursor = Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_=-]+$",
                                     description="Opaque cursor from `next_cursor`.",
                                     json_schema_extra=checked_against("the list that returned it as next_cursor"))]


_LAX_DATETIME = TypeAdapter(datetime)
_LAX_DATE = TypeAdapter(date)


DATETIME_MAX_LENGTH = 40  # 2026-11-23T09:30:00.123456789+05:30 is 35
DATE_LENGTH = 10


def _rfc3339_only(value: Any) -> Any:
    # Pydantic would also read a number ("0.5") as seconds since 1970: dates here are RFC 3339 only.
    if not isinstance(value, str):
        return value
    if len(value) > DATETIME_MAX_LENGTH or not re.match(r"\d{4}-\d{2}-\d{2}[Tt ]", value):
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


# JSON Schema's date-time format does not bound the instant; the platform keeps UTC instants, so a
# value an offset takes out of years 1 to 9999 in UTC (0001-01-01T00:00:00+09:00) is refused.
DateTime = Annotated[datetime, BeforeValidator(_rfc3339_only), Field(json_schema_extra={
    "maxLength": DATETIME_MAX_LENGTH, **checked_against("representable in UTC: years 1 to 9999 once converted")})]
Date = Annotated[date, BeforeValidator(_iso_date_only), Field(json_schema_extra={"maxLength": DATE_LENGTH})]


# Patterns spell their classes out: `\s` and `\d` mean different characters to Python's regexes (which
# generate and check tests), pydantic's (Rust) and the ECMA regexes of JSON Schema, so a value one
# accepts another refused. What str.strip() removes:
_WHITESPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NOT_WHITESPACE = f"[^{_WHITESPACE}]"
EmailAddress = Annotated[str, StringConstraints(
    pattern=f"^[^@{_WHITESPACE}]+@[^@{_WHITESPACE}]+\\.[^@{_WHITESPACE}]+$", max_length=254)]
PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 .-]{6,20}$", max_length=21)]
PostalCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$", max_length=5)]
Month = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", max_length=7)]  # YYYY-MM


def visible_text(max_length: int) -> Any:
    """Text a person reads: trimmed, and not blank. The contract says so with a pattern, else a
    whitespace-only value valid by its minLength would be refused once trimmed."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length,
                                            pattern=_NOT_WHITESPACE)]


class RequestBody(BaseModel):
    """Base of every request body. Unknown fields are a 422 (a typo or a read-only field is never
    silently ignored), and JSON types are kept as published: `1` is not `true`, `"1"` not a number.
    One exception to strictness: JSON Schema counts `131.0` as an integer, so an integer field
    takes it as 131 (131.5 stays a 422)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _integral_numbers_as_integers(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {name: int(value) if _is_integral_float(value) and _takes_integer(cls.model_fields.get(name)) else value
                for name, value in data.items()}


def _is_integral_float(value: Any) -> bool:
    return isinstance(value, float) and value.is_integer()


def _takes_integer(field: FieldInfo | None) -> bool:
    """Whether the field is an integer (optional or not), and a float would not do."""
    if field is None:
        return False
    kinds = get_args(field.annotation) if get_origin(field.annotation) in (Union, UnionType) else (field.annotation,)
    bare = {get_args(kind)[0] if get_origin(kind) is Annotated else kind for kind in kinds}
    return int in bare and float not in bare


def merge_patch_of(model: type[BaseModel], name: str | None = None, doc: str | None = None,
                   exclude: frozenset[str] = frozenset()) -> type[RequestBody]:
    """The body of a JSON merge patch (RFC 7396) of `model`, so that the contract lists what a patch
    may hold: every field optional, the optional ones nullable (`null` removes them), nested objects
    patched member by member, unknown fields refused. Field types and bounds are kept; rules across fields are not, as
    the service validates the merged document whole."""
    fields: dict[str, Any] = {}
    for field, info in model.model_fields.items():
        if field in exclude:
            continue
        # The value's own schema (bounds, `x-checked-against`) stays on the value, beside null.
        extra = [Field(json_schema_extra=info.json_schema_extra)] if info.json_schema_extra else []
        kind = _constrained(_patch_of(info.annotation), [*info.metadata, *extra])
        # An optional member may be removed (null); a required one only replaced, so the contract
        # does not offer null for it (sent anyway, the merged document is refused naming it).
        fields[field] = (kind | None, Field(None, description=info.description, examples=info.examples,
                                            json_schema_extra=_member_schema(nullable=not info.is_required())))
    return create_model(name or f"{model.__name__}Patch", __base__=RequestBody, __doc__=doc or model.__doc__, **fields)


def _member_schema(nullable: bool) -> Callable[[dict[str, Any]], None]:
    """A patch member is absent unless given: no `default` (null would read as one); and null is
    published only where it removes an optional member."""
    def adjust(schema: dict[str, Any]) -> None:
        schema.pop("default", None)
        branches = schema.get("anyOf", [])
        if not nullable and {"type": "null"} in branches:
            kept = [branch for branch in branches if branch != {"type": "null"}]
            del schema["anyOf"]
            schema.update(kept[0] if len(kept) == 1 else {"anyOf": kept})
    return adjust


def _constrained(annotation: Any, metadata: list[Any]) -> Any:
    return Annotated[(annotation, *metadata)] if metadata else annotation


def _patch_of(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, UnionType):
        kinds = tuple(_patch_of(kind) for kind in get_args(annotation) if kind is not type(None))
        return Union[kinds]  # noqa: UP007 (a runtime tuple of types)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return merge_patch_of(annotation)
    return annotation


class _Text(Convertor):
    """A path parameter kept as the text it matched; `register_text_convertor` says which text."""

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def register_text_convertor(name: str, regex: str) -> None:
    """`/{x:name}` matches only segments of `regex` (without anchors), kept as text."""
    register_url_convertor(name, type(f"_{name}", (_Text,), {"regex": regex})())


# `/{offer_id:uuid_text}`: the segment must be a UUID, kept as text. A fixed sibling such as `/imports`
# then never matches `/{offer_id}`, so a 405's Allow header lists only the methods that path really has.
register_text_convertor("uuid_text", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# `/{rest:any_path}`: the rest of the path, whatever it holds. Starlette's `path` convertor is `.*`, which
# stops at a newline: a proxy on it answered 404 for `%0A` in a segment instead of passing the request on
# to the service that validates it.
register_text_convertor("any_path", "[\\s\\S]*")


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int) -> None:
    """`428` without If-Match (concurrent partners write), `412` when the version moved on."""
    if if_match is None:
        raise PreconditionRequired("This update requires an If-Match header with the resource's current ETag.")
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in candidates and etag(version) not in candidates:
        raise PreconditionFailed("The resource changed since you read it; read it again and reapply your change.",
                                 current_etag=etag(version))




def idempotency_key_header(example: str):
    """The `Idempotency-Key` header of a POST. Keys are per client across operations, so each
    operation's documented example needs a key of its own."""
    return Annotated[str | None, Header(
        alias="Idempotency-Key", pattern=KEY_PATTERN.pattern, max_length=200, examples=[example],
        description="Makes the POST safe to retry: the same key and body return the first answer; another body "
                    "with the same key gets 409. 1 to 200 visible ASCII characters.")]


# One or more entity tags (`"3"`, `W/"3"`, `"2", "3"`) or `*` (RFC 9110 §13.1.1).
# Between ETags, HTTP's optional whitespace: spaces and tabs only (RFC 9110 §5.6.3); not `\s`, which
# Python's regex engine (a client's generator) and pydantic's (the server) read differently.
IF_MATCH_PATTERN = r'^(\*|(W/)?"[\x21\x23-\x7e]*"([ \t]*,[ \t]*(W/)?"[\x21\x23-\x7e]*")*)$'


def if_match_header(what: str, example: str = '"1"'):
    """The `If-Match` header of an update: the ETag of the version the caller read. Its absence is a
    428 (check_if_match), so the published contract declares it required (gateway/docs.py)."""
    return Annotated[str | None, Header(alias="If-Match", max_length=200, pattern=IF_MATCH_PATTERN, examples=[example],
                                        description=f"ETag of the {what} you read.")]


def id_path(example: str, description: str = "The resource's id (a UUID).") -> Any:
    """A path segment holding an id: a lower-case UUID, as every service mints them."""
    return Annotated[str, Path(description=description, examples=[example], pattern=ID_PATTERN, max_length=ID_LENGTH)]


def operation_id(route: APIRoute) -> str:
    """The operation id a generated client names its method by: the route function's name in
    camelCase (`register_person` → `registerPerson`), not FastAPI's name + path + method."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


# Headers a success answer may carry, declared once: a route names those it sends (`documented(sends=…)`).
SUCCESS_HEADERS = {
    "ETag": {"schema": {"type": "string", "maxLength": 200, "example": '"3"'},
             "description": "The version of the resource answered; send it back in If-Match to change it."},
    "Location": {"schema": {"type": "string", "format": "uri-reference", "maxLength": 2000},
                 "description": "The path of the resource created, to read it."},
}


def documented(ok: int, example: Any, errors: dict[int, str],
               sends: tuple[str, ...] = ()) -> dict[int | str, dict[str, Any]]:
    """`responses=` of a route: the success example with the headers it `sends` (ETag, Location),
    then each error status with its meaning (published as problem+json)."""
    success: dict[str, Any] = {"content": {"application/json": {"example": example}}}
    if sends:
        success["headers"] = {name: SUCCESS_HEADERS[name] for name in sends}
    out: dict[int | str, dict[str, Any]] = {ok: success}
    out.update({code: {"description": text, "content": PROBLEM_CONTENT} for code, text in errors.items()})
    return out


# -- cursors -----------------------------------------------------------------------------------
# A cursor is the page's last sort key, as JSON in URL-safe base64. It comes back from the client,
# so it is decoded as hostile input: every value is checked against the kind the list expects, and
# anything else (not base64, not JSON, wrong length or kind, a huge number, a bad date) is a 422.
CursorKind = type | tuple[type, ...]
_MAX_CURSOR_INT = 2 ** 63 - 1
INVALID_CURSOR = "The cursor is not valid; use next_cursor from the previous page."


def encode_cursor(values: list[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, (datetime, date)) else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *kinds: CursorKind, field: str = "query.cursor") -> tuple[Any, ...]:
    """The values of `cursor`, one per kind given (a type, or a tuple of accepted types; `datetime`
    values travel as RFC 3339 text and come back as aware datetimes)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()), parse_constant=_no_constant)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("wrong number of values")
        return tuple(_cursor_value(value, kind) for value, kind in zip(values, kinds))
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as exc:
        raise RuleBroken(INVALID_CURSOR, field=field) from exc


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _cursor_value(value: Any, kind: CursorKind) -> Any:
    accepted = kind if isinstance(kind, tuple) else (kind,)
    for one in accepted:
        if one is type(None) and value is None:
            return None
        if one is str and isinstance(value, str) and len(value) <= 200:
            return value
        if one is int and type(value) is int and abs(value) <= _MAX_CURSOR_INT:
            return value
        if one is datetime and isinstance(value, str):
            parsed = _cursor_datetime(value)
            if parsed is not None:
                return parsed
    raise ValueError(f"unexpected cursor value {value!r:.40}")


def _cursor_datetime(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


class BodySizeLimit:
    """ASGI middleware: `413` for a body over the limit, declared or streamed. `larger` raises the
    limit under some path prefixes (bulk uploads), the longest matching prefix deciding.

    A streamed (chunked) body is counted as the app reads it. Past the limit, the 413 is answered
    from here and the app is told the client left (`http.disconnect`): whatever it does next (a
    framework turning the disconnect into a 400, a proxy failing mid-upload) reaches nobody."""

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
            return await _reject(scope, receive, send, limit)
        seen, rejected, started = 0, False, False

        async def limited_receive() -> Message:
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                rejected = True
                if not started:
                    await _reject(scope, receive, send, limit)
                return {"type": "http.disconnect"}
            return message

        async def send_unless_rejected(message: Message) -> None:
            nonlocal started
            if not rejected:
                started = started or message["type"] == "http.response.start"
                await send(message)

        try:
            await self.app(scope, limited_receive, send_unless_rejected)
        except Exception:
            if not rejected:
                raise  # past the limit, the app's failure only follows from the disconnect it was told of


async def _reject(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    # The rest of the body is never read: the connection cannot carry another request.
    problem = Problem(413, f"The request body exceeds {limit} bytes.", slug="payload-too-large",
                      headers={"Connection": "close"})
    await problem_response(problem)(scope, receive, send)
