"""A cursor comes back from the client: any crafted one is a 422 problem, never a 500."""
from __future__ import annotations

import base64
import uuid

import pytest

pytestmark = pytest.mark.integration


def crafted(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# The dossier's lists page by journal id: a cursor is one integer.
HOSTILE = ["%%%", "not-base64!", crafted("not json"), crafted("[]"), crafted("[1, 2]"), crafted("[1e999]"),
           crafted("[NaN]"), crafted("[1.5]"), crafted(f"[{10 ** 30}]"), crafted('["12"]'), crafted("[true]"),
           crafted("[null]"), crafted('[{"id": 1}]'), crafted("[" * 150 + "]" * 150)]
LISTS = ["history", "access-log"]


def test_a_hostile_cursor_is_a_422_problem_on_every_list(service, tokens):
    person_id = str(uuid.uuid4())
    for path in LISTS:
        for cursor in HOSTILE:
            answer = service.get(f"/v1/dossiers/{person_id}/{path}", params={"purpose": "accompaniment",
                                                                            "cursor": cursor},
                                 headers=tokens.headers("ft-agence-nantes"))
            assert answer.status_code == 422, (path, cursor, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert [error["field"] for error in answer.json()["errors"]] == ["query.cursor"]
