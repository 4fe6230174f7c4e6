"""Every problem `type` URI resolves at the gateway: JSON for a client, a page for a person."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.problem_pages import MARKDOWN_FILE, problems_markdown
from services.core.problem_types import PROBLEM_TYPES
from services.core.problems import PROBLEM_BASE

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory) -> TestClient:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GATEWAY_KEY_FILE", str(tmp_path_factory.mktemp("keys") / "signing-key.pem"))
        return TestClient(create_app())


def resolve(gateway: TestClient, problem: dict, accept: str = "application/json"):
    assert problem["type"].startswith(PROBLEM_BASE)
    return gateway.get("/problems/" + problem["type"].removeprefix(PROBLEM_BASE), headers={"Accept": accept})


@pytest.mark.parametrize(("method", "path", "slug"), [
    ("GET", "/v1/nothing-here", "not-found"),
    ("GET", "/v1/registrations", "unauthorized"),
    ("POST", "/healthz", "method-not-allowed"),
    ("POST", "/oauth/token", "validation-error"),
])
def test_the_type_of_a_problem_the_gateway_answers_resolves_to_its_description(gateway, method, path, slug):
    problem = gateway.request(method, path).json()
    described = resolve(gateway, problem)
    assert described.status_code == 200 and described.headers["content-type"] == "application/json"
    assert described.json()["slug"] == slug and described.json()["type"] == problem["type"]
    assert described.json()["fix"] == PROBLEM_TYPES[slug].fix


def test_a_browser_gets_a_page_that_explains_the_problem_and_its_fix(gateway):
    problem = gateway.get("/v1/registrations").json()
    page = resolve(gateway, problem, accept=BROWSER_ACCEPT)
    assert page.headers["content-type"].startswith("text/html")
    unauthorized = PROBLEM_TYPES["unauthorized"]
    assert unauthorized.title in page.text and "Authorization: Bearer &lt;token&gt;" in page.text
    assert problem["type"] in page.text


@pytest.mark.parametrize(("accept", "html"), [
    (BROWSER_ACCEPT, True),
    ("text/html", True),
    ("*/*", False),
    ("", False),
    ("application/json, text/html;q=0.5", False),
    ("text/*;q=0.9, application/json;q=0.2", True),
    ("text/html;q=oops", False),
])
def test_html_goes_to_whoever_prefers_it_to_json(gateway, accept, html):
    answer = gateway.get("/problems/not-found", headers={"Accept": accept})
    assert answer.headers["content-type"].startswith("text/html" if html else "application/json")


def test_the_list_names_every_problem_type(gateway):
    listed = gateway.get("/problems").json()["items"]
    assert [item["slug"] for item in listed] == list(PROBLEM_TYPES)
    assert all(item["type"] == PROBLEM_BASE + item["slug"] for item in listed)
    page = gateway.get("/problems", headers={"Accept": BROWSER_ACCEPT}).text
    assert all(f'href="/problems/{slug}"' in page for slug in PROBLEM_TYPES)


def test_an_unknown_problem_type_is_a_404_problem(gateway):
    answer = gateway.get("/problems/no-such-problem", headers={"Accept": BROWSER_ACCEPT})
    assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == PROBLEM_BASE + "not-found"


def test_docs_problems_md_is_generated_from_the_catalogue():
    assert MARKDOWN_FILE.read_text() == problems_markdown(), "run: .venv/bin/python -m gateway.problem_pages"
