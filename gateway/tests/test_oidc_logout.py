"""Logging out ends the session at the identity provider too (gateway/oidc_logout.py, RP-Initiated
Logout 1.0): against the real local provider (deploy/local/oidc/) through test_oidc.py's gateway, then
the pieces without the network."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from gateway.oidc_logout import (
    ID_TOKEN_COOKIE, LOGOUT_COOKIE, MAX_SEALED_ID_TOKEN, IdTokenKeeper, end_session_url, logout_expired,
)
from gateway.oidc_states import LoginStates
from gateway.person_session import SESSION_COOKIE
from gateway.tests.test_oidc import gateway, matches, provider  # noqa: F401  (fixtures)
from services.core.problems import Problem
from tests.support.oidc import confirm_logout, log_in

PROBLEM = "application/problem+json"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def cookie_header(answer, name: str) -> str:
    return next(value for value in answer.headers.get_list("set-cookie") if value.startswith(f"{name}="))


def test_camille_logs_out_at_the_provider_too_and_must_give_her_password_again(gateway, provider):
    login = log_in(gateway, "camille.martin")
    # The ID token is kept for the logout only: sealed, HttpOnly, Strict, sent to /auth/logout alone.
    kept = cookie_header(login, ID_TOKEN_COOKIE)
    assert "HttpOnly" in kept and "SameSite=strict" in kept and "Path=/auth/logout" in kept
    assert not gateway.cookies[ID_TOKEN_COOKIE].startswith("eyJ")  # not the JWT itself

    logout = gateway.post("/auth/logout")
    assert logout.status_code == 303 and logout.headers["cache-control"] == "no-store"
    location = urlsplit(logout.headers["location"])
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/session/end"
    assert query["post_logout_redirect_uri"] == f"http://127.0.0.1:{provider.gateway_port}/auth/logout/callback"
    assert query["id_token_hint"].startswith("eyJ") and len(query["state"]) >= 32
    for forgotten in (SESSION_COOKIE, ID_TOKEN_COOKIE):
        assert "Max-Age=0" in cookie_header(logout, forgotten)
    state_cookie = cookie_header(logout, LOGOUT_COOKIE)
    assert "HttpOnly" in state_cookie and "Path=/auth/logout/callback" in state_cookie
    assert query["state"] not in state_cookie  # sealed

    # Confirmed at the provider, back at the gateway: the state spent, the personal space.
    back = confirm_logout(gateway, logout)
    assert back.status_code == 303 and back.headers["location"] == "/espace-personnel/"
    replay = gateway.get(str(back.url), headers={"Accept": "application/json"})
    assert replay.status_code == 400 and replay.json()["type"].endswith("/logout-expired")
    # The next login asks for the password again: the provider's session is over.
    page = gateway.get("/auth/login", follow_redirects=True)
    assert 'type="password"' in page.text and "Connexion" in page.text



def test_without_an_end_session_endpoint_the_platforms_session_ends_and_the_page_says_the_providers_did_not(gateway):
    assert log_in(gateway, "camille.martin").status_code == 303
    provider = gateway.app.state.relying_party.provider
    provider._metadata = {name: value for name, value in provider._metadata.items() if name != "end_session_endpoint"}
    logout = gateway.post("/auth/logout", headers=BROWSER)
    assert logout.status_code == 200 and logout.headers["content-type"].startswith("text/html")
    assert 'lang="fr"' in logout.text and "n'a pas pu être fermée" in logout.text
    assert SESSION_COOKIE not in gateway.cookies and LOGOUT_COOKIE not in gateway.cookies
    assert gateway.get("/v1/me/registration").status_code == 401


def test_a_logout_posted_from_another_site_is_refused_and_ends_nothing(gateway):
    assert log_in(gateway, "camille.martin").status_code == 303
    forged = gateway.post("/auth/logout", headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403 and forged.headers["content-type"] == PROBLEM
    assert forged.json()["type"].endswith("/cross-site-request") and SESSION_COOKIE in gateway.cookies
    page = gateway.post("/auth/logout", headers={"Sec-Fetch-Site": "same-site", **BROWSER})
    assert page.status_code == 403 and 'lang="fr"' in page.text
    # The personal space's own form (same-origin) goes on.
    assert gateway.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 303


def test_a_return_from_the_provider_without_its_logout_is_a_french_page_or_a_problem(gateway):
    assert gateway.get("/auth/logout/callback?state=forged").json()["type"].endswith("/logout-expired")
    page = gateway.get("/auth/logout/callback", headers=BROWSER)
    assert page.status_code == 400 and "<h1>La déconnexion n&#x27;a pas pu être vérifiée</h1>" in page.text


# -- the pieces, without the network -------------------------------------------------------------

def test_the_end_session_url_carries_the_hint_the_return_and_the_state_and_keeps_the_endpoints_query():
    url = end_session_url("https://idp.example/logout?acr=eidas1", "h.e.y", "https://gw.example/auth/logout/callback",
                          "s t")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://idp.example/logout"
    assert parse_qs(parts.query) == {"acr": ["eidas1"], "id_token_hint": ["h.e.y"], "state": ["s t"],
                                     "post_logout_redirect_uri": ["https://gw.example/auth/logout/callback"]}


def test_a_logout_state_is_spent_once_and_only_with_its_own_cookie():
    states = LoginStates(b"k" * 32, expired=logout_expired)
    sealed = states.seal("state-1")
    with pytest.raises(Problem) as refused:
        states.spend(sealed, "state-2")
    assert refused.value.slug == "logout-expired" and refused.value.status == 400
    assert states.spend(sealed, "state-1")["state"] == "state-1"
    for cookie, state in ((sealed, "state-1"), (None, "state-1"), (sealed, None)):
        with pytest.raises(Problem):
            states.spend(cookie, state)


def test_the_id_token_is_sealed_opens_with_its_key_only_and_is_not_kept_when_its_cookie_would_be_dropped():
    keeper = IdTokenKeeper(b"k" * 32)
    sealed = keeper.seal("header.claims.signature")
    assert "claims" not in sealed and keeper.open(sealed) == "header.claims.signature"
    assert IdTokenKeeper(b"o" * 32).open(sealed) is None and keeper.open(None) is None
    assert keeper.seal("x" * MAX_SEALED_ID_TOKEN) is None
