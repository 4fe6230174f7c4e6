"""A cursor comes back from the client: any crafted one is a 422 problem, never a 500."""
from __future__ import annotations

import base64

import pytest

pytestmark = pytest.mark.integration


def crafted(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


HOSTILE = ["%%%", "not-base64!", crafted("not json"), crafted("[]"), crafted("[1, 2, 3]"), crafted("[1e999]"),
           crafted("[NaN]"), crafted(f"[{10 ** 30}]"), crafted('["2026-11-20T09:00:00Z", "x", 1]'),
           crafted('["2026-11-20T09:00:00", "x"]'), crafted('["yesterday", "x"]'), crafted('[true]'),
           crafted('[{"version": 1}]'), crafted("[" * 150 + "]" * 150)]
LISTS = ["/v1/orientation/referentials/national/versions", "/v1/orientation/slots"]


def test_a_hostile_cursor_is_a_422_problem_on_every_list(orientation):
    headers = orientation.tokens.headers("ft-agence-nantes")
    for path in LISTS:
        for cursor in HOSTILE:
            answer = orientation.service.get(path, params={"cursor": cursor}, headers=headers)
            assert answer.status_code == 422, (path, cursor, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert [error["field"] for error in answer.json()["errors"]] == ["query.cursor"]
