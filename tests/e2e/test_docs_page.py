"""The docs portal in a real browser, as an integrator on an isolated network opens it: Swagger UI
renders every service's operations, and nothing is requested from another host."""
from __future__ import annotations

import pytest

from gateway.routing import service_routes
from services.core.problem_types import PROBLEM_TYPES
from tests.support.contracts import committed
from tests.support.tokens import demo_partners

pytestmark = pytest.mark.e2e

RENDERED_PATHS = "els => els.map(e => e.dataset.path)"
AGENCY = "ft-agence-nantes"


def open_docs(browser_page, stack) -> list[str]:
    """The operation paths Swagger UI rendered from /openapi.json."""
    page = browser_page.page
    page.goto(f"{stack.url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    return page.eval_on_selector_all(".opblock-summary-path", RENDERED_PATHS)


def test_the_docs_page_renders_every_service_operation_without_leaving_the_machine(browser_page, stack):
    rendered = set(open_docs(browser_page, stack))
    for service in service_routes():
        missing = set(committed(service)["paths"]) - rendered
        assert not missing, f"{service} operations missing from /docs: {sorted(missing)}"
    assert {"/v1/registrations", "/v1/offers", "/oauth/token"} <= rendered
    assert browser_page.off_machine() == []
    assert f"{stack.url}/docs/assets/swagger-ui-bundle.js" in browser_page.requested


def test_try_it_out_gets_a_token_with_client_credentials(browser_page, stack):
    page = browser_page.page
    open_docs(browser_page, stack)
    page.click("button.authorize.unlocked")
    page.fill("#client_id_clientCredentials", AGENCY)
    page.fill("#client_secret_clientCredentials", demo_partners()[AGENCY].client_secret)
    with page.expect_response(f"{stack.url}/oauth/token") as token:
        page.get_by_role("button", name="Apply given OAuth2 credentials").click()
    assert token.value.status == 200
    page.get_by_role("button", name="Remove authorization").wait_for()
    assert page.locator("button.authorize.locked").count() == 1  # the token "Try it out" will send
    assert browser_page.off_machine() == []


def test_the_type_of_a_service_problem_opens_its_page_in_the_browser(browser_page, stack):
    with stack.client(AGENCY) as agency:
        problem = agency.get("/v1/registrations/00000000-0000-0000-0000-000000000000").json()
    assert problem["type"] == f"{stack.url}/problems/not-found"  # answered by the registration service
    page = browser_page.page
    page.goto(problem["type"])
    assert page.locator("h1").inner_text() == PROBLEM_TYPES["not-found"].title
    assert browser_page.off_machine() == []
