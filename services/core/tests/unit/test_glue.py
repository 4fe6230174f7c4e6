"""The glue every service shares: domain refusals as problem+json, hostile cursors, merge patch,
official codes, the under-26 rule and the fake unit of work."""
from __future__ import annotations

import base64
import json
from datetime import date, datetime, timezone

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.core.age import age_on, under_26
from services.core.official_codes import is_commune_code, is_departement_code
from services.core.errors import (
    Conflict, Forbidden, InvalidTransition, NotFound, PreconditionFailed, PreconditionRequired, RuleBroken,
)
from services.core.events import SchemaRegistry
from services.core.http import check_if_match, decode_cursor, encode_cursor
from services.core.inbound import CAF_RSA_OPENED
from services.core.merge_patch import merge_patch
from services.core.problems import install_problem_handlers
from services.core.settings import REPO_ROOT
from services.core.uow import RecordedEvents
from services.core.events import InvalidEvent


@pytest.mark.parametrize("error, status, slug", [
    (NotFound("No such person visible to you."), 404, "not-found"),
    (Forbidden("Not your territory."), 403, "forbidden"),
    (Conflict("Slot taken.", slug="slot-taken"), 409, "slot-taken"),
    (InvalidTransition("Already signed."), 409, "invalid-transition"),
    (PreconditionFailed("Stale.", current_etag='"3"'), 412, "stale-etag"),
    (PreconditionRequired("If-Match needed."), 428, "precondition-required"),
    (RuleBroken("Unknown commune.", field="address.commune_code"), 422, "validation-error"),
])
def test_each_domain_refusal_is_one_problem(error, status, slug):
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/x")
    def raise_it():
        raise error

    answer = TestClient(app).get("/x")
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["type"].endswith("/" + slug) and body["detail"] == error.message
    if error.field:
        assert body["errors"] == [{"field": error.field, "message": error.message}]
    if isinstance(error, PreconditionFailed):
        assert body["current_etag"] == '"3"'


def test_if_match_is_required_and_must_be_current():
    with pytest.raises(PreconditionRequired):
        check_if_match(None, 2)
    with pytest.raises(PreconditionFailed):
        check_if_match('"1"', 2)
    check_if_match('W/"2"', 2)
    check_if_match("*", 2)


def _raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_a_cursor_round_trips_with_its_kinds():
    moment = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
    assert decode_cursor(encode_cursor([moment, "abc", 7]), datetime, str, int) == (moment, "abc", 7)
    assert decode_cursor(encode_cursor(["o", None, 3]), str, (datetime, type(None)), int) == ("o", None, 3)


@pytest.mark.parametrize("cursor", [
    _raw('["x"]'), _raw("[[1]]"), _raw("[null]"), _raw("[1e308]"), _raw("[" + "1" * 30 + "]"), _raw("[true]"),
    _raw('["2026-13-01T00:00:00Z"]'), _raw('["2026-01-01T00:00:00"]'), _raw("[NaN]"), _raw("[Infinity]"),
    _raw("[" * 100_000 + "]" * 100_000), _raw("{}"), _raw("[1, 2]"), "!!!", "%%", "", _raw("\xff"),
])
def test_hostile_cursors_are_refused_as_invalid_input(cursor):
    with pytest.raises(RuleBroken) as refused:
        decode_cursor(cursor, int)
    assert refused.value.field == "query.cursor"
    with pytest.raises(RuleBroken):
        decode_cursor(cursor, datetime)


def test_merge_patch_follows_rfc_7396():
    # The examples of RFC 7396, appendix A.
    assert merge_patch({"a": "b"}, {"a": "c"}) == {"a": "c"}
    assert merge_patch({"a": "b"}, {"b": "c"}) == {"a": "b", "b": "c"}
    assert merge_patch({"a": "b"}, {"a": None}) == {}
    assert merge_patch({"a": [{"b": "c"}]}, {"a": [1]}) == {"a": [1]}
    assert merge_patch({"a": "foo"}, "bar") == "bar"
    assert merge_patch({"e": None}, {"a": 1}) == {"e": None, "a": 1}
    assert merge_patch({}, {"a": {"bb": {"ccc": None}}}) == {"a": {"bb": {}}}
    assert merge_patch({"a": "b"}, ["c"]) == ["c"]


def test_official_codes():
    assert all(is_commune_code(code) for code in ("44109", "2A004", "2B033", "97411"))
    assert not any(is_commune_code(code) for code in ("2a004", "1A123", "4410", "441090", "2C004"))
    assert all(is_departement_code(code) for code in ("01", "44", "2A", "2B", "95", "971", "976"))
    assert not any(is_departement_code(code) for code in ("00", "20", "96", "970", "977", "2a", "4"))


def test_under_26_turns_false_on_the_26th_birthday():
    born = date(2000, 3, 15)
    assert age_on(born, date(2026, 3, 14)) == 25 and under_26(born, date(2026, 3, 14))
    assert age_on(born, date(2026, 3, 15)) == 26 and not under_26(born, date(2026, 3, 15))


def test_recorded_events_are_checked_against_their_schema():
    events = RecordedEvents(SchemaRegistry(REPO_ROOT / "schemas"))
    with pytest.raises(InvalidEvent):
        events.emit(CAF_RSA_OPENED, "s", {})
    assert events.emitted == []
    fact = json.loads((REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json").read_text())
    events.emit(CAF_RSA_OPENED, "s", fact["data"])
    assert [pending.subject for pending in events.of_type(CAF_RSA_OPENED)] == ["s"]


def test_an_unexpected_error_names_the_request_id_it_was_logged_with():
    from services.core.request_context import RequestContext

    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RequestContext)

    @app.get("/boom")
    def boom():
        raise RuntimeError("internal detail")

    answer = TestClient(app, raise_server_exceptions=False).get("/boom", headers={"X-Request-Id": "req-42"})
    assert answer.status_code == 500
    assert answer.headers["X-Request-Id"] == "req-42"
    assert answer.json()["request_id"] == "req-42" and "internal detail" not in answer.text
