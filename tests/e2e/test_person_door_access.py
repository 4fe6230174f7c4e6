"""The person's own door through the whole platform (issue 15): Camille logs in at the real OpenID
provider (deploy/local/oidc/, started by the stack) as a browser would, registration names her, and
the gateway's session cookie opens her /v1/me/... parts; then the door holds for every route of the
manifest, swept rather than listed: her person token is refused everywhere but /v1/me/..., and no
organisation's token, an administrator's included, passes /v1/me/... for any verb."""
from __future__ import annotations

import httpx
import pytest

from gateway.person_session import SESSION_COOKIE
from gateway.routing import GATEWAY_ROUTES, ROUTES
from services.core.scopes import Scope
from services.registration.api import examples
from tests.support.oidc import log_in, log_out
from tests.support.polling import eventually
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"
VERBS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
TOKEN_ROUTES = [route for route in ROUTES + GATEWAY_ROUTES if not route.public]
ME_ROUTES = [route for route in TOKEN_ROUTES if route.read_scope == Scope.ME]


@pytest.fixture(scope="module")
def stack(broker, tmp_path_factory):
    """A platform of this module's own: on the shared one, generated requests register people with
    Camille's documented identity (and her example's Idempotency-Key with other bodies), and a login
    naming several registrations rightly opens none (the person is sent to a counsellor)."""
    running = Stack.start(broker, tmp_path_factory.mktemp("person-door"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def camille(stack) -> str:
    """Camille, as the registration examples have her, the one person the provider's demo Camille names."""
    answer = stack.client("ft-agence-nantes").post(
        "/v1/registrations", json=examples.REGISTRATION_CREATE,
        headers={"Idempotency-Key": examples.EXAMPLE_IDEMPOTENCY_KEY})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"]


@pytest.fixture(scope="module")
def browser(stack, camille):
    """Camille's browser, logged in."""
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        answer = log_in(client, "camille.martin")
        assert answer.status_code == 303 and answer.headers["location"] == "/espace-personnel/", answer.text
        yield client


def test_camille_logs_in_and_her_session_opens_her_own_parts(stack, camille, browser):
    dossier = eventually(lambda: browser.get("/v1/me/dossier"), lambda a: a.status_code == 200)
    assert camille in dossier.text
    assert browser.get("/v1/me/export").json()["person_id"] == camille
    # A change through the session needs the CSRF header, and the cookie is no token elsewhere.
    forged = browser.post("/v1/me/corrections", json={})
    assert forged.status_code == 403 and forged.headers["content-type"] == PROBLEM
    assert browser.get(f"/v1/registrations/{camille}").status_code == 401


def test_a_person_token_is_refused_on_every_route_but_her_own_door(stack, browser):
    person = {"Authorization": f"Bearer {browser.cookies[SESSION_COOKIE]}"}
    passed = []
    with httpx.Client(base_url=stack.url, headers=person, timeout=30) as client:
        for route in TOKEN_ROUTES:
            for verb in VERBS:
                if route.scope_for(verb) == Scope.ME:
                    continue
                answer = client.request(verb, route.prefix)
                if answer.status_code != 403 or (verb != "HEAD" and answer.headers["content-type"] != PROBLEM):
                    passed.append((verb, route.prefix, answer.status_code))
    assert passed == []


@pytest.mark.parametrize("client_id", ["ft-agence-nantes", "platform-admin"])
def test_no_organisation_token_passes_a_me_route(stack, client_id):
    assert ME_ROUTES, "the manifest declares no /v1/me route"
    passed = []
    with stack.client(client_id) as client:
        for route in ME_ROUTES:
            for verb in VERBS:
                answer = client.request(verb, route.prefix)
                # The gateway's own route (GET /v1/me/export) says 405 to a verb it does not serve, to anyone.
                refused = {403, 405} if route.served_by_gateway else {403}
                if answer.status_code not in refused or (verb != "HEAD" and answer.headers["content-type"] != PROBLEM):
                    passed.append((verb, route.prefix, answer.status_code))
    assert passed == []


def test_logging_out_forgets_the_session_here_and_at_the_provider(stack):
    with httpx.Client(base_url=stack.url, timeout=30) as client:
        assert log_in(client, "camille.martin").status_code == 303
        assert log_out(client).headers["location"] == "/espace-personnel/"
        assert SESSION_COOKIE not in client.cookies
        assert client.get("/v1/me/dossier").status_code == 401
