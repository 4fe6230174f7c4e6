"""A cursor comes back from the client: malformed or forged, every list answers 422 problem+json
naming it, never a 500 (nor a page it should not give)."""
import uuid

import pytest

from services.core.http import encode_cursor
from services.offers.tests.integration.conftest import BOARD, COUNSELLOR

pytestmark = pytest.mark.integration
MALFORMED = ["!!!", "bm90LWEtY3Vyc29y", encode_cursor([]), "W05hTl0"]  # not base64, not a list, empty, [NaN]
SEARCH = [*MALFORMED,
          encode_cursor(["o", 10 ** 30, 0]), encode_cursor(["o", -1, 0]), encode_cursor(["o", True, 0]),
          encode_cursor(["d", "9999-12-31T23:59:59+00:00", 1]), encode_cursor(["d", "0001-01-01T00:00:00+00:00", 1]),
          encode_cursor(["d", "2026-11-23T09:00:00", 1]), encode_cursor(["d", None, -5]),
          encode_cursor(["d", None, 10 ** 12]), encode_cursor(["d", 12, 1]), encode_cursor(["x", None, 1])]
SAVED_SEARCHES = [*MALFORMED,
                  encode_cursor(["not a date", "x"]), encode_cursor(["2026-11-23T09:00:00", "x"]), encode_cursor([1, "x"]),
                  encode_cursor(["2026-11-23T09:00:00Z", 7]), encode_cursor(["2026-11-23T09:00:00Z", "x" * 201])]
IMPORT_ERRORS = [*MALFORMED, encode_cursor(["3"]), encode_cursor([10 ** 30]), encode_cursor([1.5]), encode_cursor([1, 2])]


def assert_refused(answer, cursor: str) -> None:
    assert answer.status_code == 422, (cursor, answer.text)
    assert answer.headers["content-type"] == "application/problem+json"
    assert {error["field"] for error in answer.json()["errors"]} & {"query.cursor", "query.errors_cursor"}


def test_a_hostile_search_cursor_is_a_422_whatever_the_sort(offers):
    for sort in ("relevance", "date"):
        for cursor in SEARCH:
            assert_refused(offers.get("/v1/offers", q="boulanger", sort=sort, cursor=cursor), cursor)


def test_a_hostile_saved_search_cursor_is_a_422(offers):
    for cursor in SAVED_SEARCHES:
        assert_refused(offers.get("/v1/offers/subscriptions", COUNSELLOR, cursor=cursor), cursor)


def test_a_hostile_import_errors_cursor_is_a_422(offers):
    for cursor in IMPORT_ERRORS:
        # Refused before the import is looked up: the same answer whether the id is one's own or not.
        assert_refused(offers.get(f"/v1/offers/imports/{uuid.uuid4()}", BOARD, errors_cursor=cursor), cursor)
