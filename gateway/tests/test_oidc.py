"""The gateway as OpenID Connect relying party (gateway/oidc.py), against the real local provider
(deploy/local/oidc/, a node process) and a stand-in for registration's identity matching: the login's
redirect, Camille's login ending in a person session, every failure a problem, the session cookie on
/v1/me/... only and with the CSRF header on changes."""
from __future__ import annotations

import asyncio
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway import routing
from gateway.app import create_app
from gateway.oidc import LOGIN_COOKIE, LoginStates, match_body
from gateway.oidc_provider import IdentityProvider, OidcSettings, pkce_challenge
from gateway.person_session import SESSION_COOKIE
from gateway.tests.conftest import free_port, uvicorn_server
from services.core.problems import Problem
from tests.support.oidc import OidcProvider, log_in, log_out

PROBLEM = "application/problem+json"
ME_ROUTE = routing.Route("/v1/me/registration", "registration", "me", "me")


def stand_in_services(seen: list[dict]) -> FastAPI:
    """Registration's identity matching as the contract says (Martin: one; Haddad: several; others:
    none), and an echo of every other call."""
    app = FastAPI()

    @app.post("/v1/registrations/identity-matches")
    async def match(request: Request) -> JSONResponse:
        body = await request.json()
        seen.append({"body": body, "token": request.headers["authorization"].removeprefix("Bearer ")})
        if body["family_name"] == "Martin":
            return JSONResponse({"person_id": "reg_camille"})
        return JSONResponse({"status": 409 if body["family_name"] == "Haddad" else 404}, status_code=
                            409 if body["family_name"] == "Haddad" else 404)

    @app.api_route("/v1/{rest:path}", methods=["GET", "POST", "DELETE"])
    async def echo(request: Request) -> JSONResponse:
        return JSONResponse({"path": request.url.path, "authorization": request.headers.get("authorization"),
                             "cookie": request.headers.get("cookie")})

    return app


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    port = free_port()
    started = OidcProvider.start(f"http://127.0.0.1:{port}/auth/callback", tmp_path_factory.mktemp("oidc"))
    started.gateway_port = port
    yield started
    started.stop()


@pytest.fixture
def matches() -> list[dict]:
    return []


@pytest.fixture
def gateway(provider, matches, tmp_path, monkeypatch):
    """A gateway served by uvicorn on the port the provider knows as its redirect URI; yields a
    browser (an httpx client keeping cookies) pointed at it."""
    monkeypatch.setenv("GATEWAY_KEY_FILE", str(tmp_path / "signing-key.pem"))
    monkeypatch.setenv("GATEWAY_DATABASE_URL", f"sqlite:///{tmp_path / 'gateway.db'}")
    for name, value in provider.gateway_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(routing, "_BY_SPECIFICITY", (ME_ROUTE, *routing._BY_SPECIFICITY))
    with uvicorn_server(stand_in_services(matches)) as services:
        monkeypatch.setenv("REGISTRATION_URL", services)
        app = create_app()
        with uvicorn_server(app, port=provider.gateway_port) as url, httpx.Client(base_url=url, timeout=10) as browser:
            browser.app = app
            yield browser


def test_login_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(gateway, provider):
    answer = gateway.get("/auth/login")
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert f"{location.scheme}://{location.netloc}" == provider.issuer
    assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
    assert query["client_id"] == "france-travail-gateway" and query["redirect_uri"] == provider.redirect_uri
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32 and len(query["code_challenge"]) == 43
    assert set(query["scope"].split()) == {"openid", "given_name", "family_name", "birthdate", "birthplace",
                                           "birthcountry"}
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{LOGIN_COOKIE}=") and "HttpOnly" in cookie and "Path=/auth/callback" in cookie
    assert "SameSite=lax" in cookie and query["state"] not in cookie  # sealed, not readable


def test_camille_logs_in_and_gets_a_person_session_once(gateway, matches):
    answer = log_in(gateway, "camille.martin")
    assert answer.status_code == 303 and answer.headers["location"] == "/espace-personnel/"
    cookie = next(value for value in answer.headers.get_list("set-cookie") if value.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    caller = gateway.app.state.token_issuer.verifier().verify(gateway.cookies[SESSION_COOKIE])
    assert caller.is_person and caller.person_id == "reg_camille"
    # Registration was asked with FranceConnect's claims, by the gateway's own token of one scope.
    assert matches[0]["body"] == {"family_name": "Martin", "given_names": ["Camille", "Anne"],
                                  "birth_date": "2001-03-14", "birth_place": "49007", "birth_country": "99100"}
    assert jwt.decode(matches[0]["token"], options={"verify_signature": False})["scope"] == "identity:match"
    # The callback's URL again (its code, its state): the login is spent.
    replay = gateway.get(str(answer.url), headers={"Accept": "application/json"})
    assert replay.status_code == 400 and replay.headers["content-type"] == PROBLEM
    assert replay.json()["type"].endswith("/login-expired")


@pytest.mark.parametrize("login, status, slug", [
    ("louis.bernard", 404, "identity-not-matched"),  # registered nowhere
    ("karim.haddad", 409, "identity-ambiguous"),  # born abroad: no birth place asked
])
def test_a_login_naming_no_one_or_several_tells_the_person_to_see_their_counsellor(gateway, matches, login,
                                                                                  status, slug):
    gateway.headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # a browser's
    answer = log_in(gateway, login)
    assert answer.status_code == status and answer.headers["content-type"].startswith("text/html")
    assert "conseill" in answer.text and 'lang="fr"' in answer.text and f"/problems/{slug}" in answer.text
    assert SESSION_COOKIE not in gateway.cookies
    assert matches[0]["body"]["birth_place"] == (None if login == "karim.haddad" else "75056")


def test_a_callback_without_its_login_or_with_a_forged_state_is_a_problem(gateway):
    assert gateway.get("/auth/callback?code=x&state=y").json()["type"].endswith("/login-expired")
    gateway.get("/auth/login")  # a login cookie now, but another state
    forged = gateway.get("/auth/callback?code=x&state=forged")
    assert forged.status_code == 400 and forged.headers["content-type"] == PROBLEM


def test_a_cancelled_login_is_a_problem(gateway):
    page = gateway.get("/auth/login", follow_redirects=True)
    abort = page.url.join(page.text.split('action="')[2].split('"')[0])
    answer = gateway.post(str(abort))
    while answer.is_redirect and "/auth/callback" not in str(answer.url):
        answer = gateway.send(answer.next_request)
    assert answer.status_code == 403 and answer.json()["type"].endswith("/login-refused")


def test_an_unreachable_provider_is_a_503_problem(gateway_for, monkeypatch):
    monkeypatch.setenv("OIDC_ISSUER", f"http://127.0.0.1:{free_port()}")
    with gateway_for() as client:
        answer = client.get("/auth/login")
    assert answer.status_code == 503 and answer.json()["type"].endswith("/identity-provider-unavailable")


# -- the browser session on /v1/me/... -----------------------------------------------------------

def test_the_session_cookie_opens_v1_me_only_and_changes_need_the_csrf_header(gateway):
    person = gateway.app.state.token_issuer.issue_person("reg_camille")
    gateway.cookies.set(SESSION_COOKIE, person)
    read = gateway.get("/v1/me/registration")
    assert read.status_code == 200  # forwarded with the token as a header, and without the cookie
    assert read.json()["authorization"] == f"Bearer {person}" and read.json()["cookie"] is None
    forged = gateway.post("/v1/me/registration", json={})
    assert forged.status_code == 403 and forged.json()["type"].endswith("/csrf-header-required")
    assert gateway.post("/v1/me/registration", json={}, headers={"X-Requested-With": "personal-space"}
                        ).status_code == 200
    # The gateway's own /v1/me route takes the session as well.
    assert gateway.get("/v1/me/export").json()["person_id"] == "reg_camille"
    elsewhere = gateway.get("/v1/registrations")  # the cookie is no token anywhere else
    assert elsewhere.status_code == 401 and elsewhere.headers["content-type"] == PROBLEM
    # No login of this browser's at the provider: the platform's session ends, and the answer says the
    # provider's could not be.
    logout = gateway.post("/auth/logout")
    assert logout.status_code == 200 and logout.json()["identity_provider_session_ended"] is False
    assert logout.headers["set-cookie"].startswith(f'{SESSION_COOKIE}=""') and "Max-Age=0" in logout.headers["set-cookie"]


def test_a_person_token_opens_me_only_and_an_organisation_token_never_opens_me(gateway):
    person = {"Authorization": f"Bearer {gateway.app.state.token_issuer.issue_person('reg_camille')}"}
    assert gateway.get("/v1/me/registration", headers=person).status_code == 200
    refused = gateway.get("/v1/registrations", headers=person)
    assert refused.status_code == 403 and refused.json()["type"].endswith("/insufficient-scope")
    for client_id in ("ft-agence-nantes", "platform-admin"):
        token = gateway.post("/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                   "client_secret": f"demo-{client_id}-secret"}).json()
        answer = gateway.get("/v1/me/registration", headers={"Authorization": f"Bearer {token['access_token']}"})
        assert answer.status_code == 403 and answer.json()["type"].endswith("/insufficient-scope")


# -- the pieces, without the network -------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_login_state_is_spent_once_and_expires_after_ten_minutes():
    clock = Clock()
    states = LoginStates(b"k" * 32, clock=clock)
    sealed = states.seal("state-1", "nonce-1", "verifier-1")
    with pytest.raises(Problem):
        states.spend(sealed, "state-2")
    assert states.spend(sealed, "state-1")["verifier"] == "verifier-1"
    with pytest.raises(Problem):
        states.spend(sealed, "state-1")  # spent
    late = states.seal("state-3", "n", "v")
    clock.now += 601
    with pytest.raises(Problem):
        states.spend(late, "state-3")
    with pytest.raises(Problem):
        LoginStates(b"o" * 32, clock=clock).spend(states.seal("s", "n", "v"), "s")  # another gateway's key


def test_pkce_challenge_is_rfc_7636s_example():
    assert pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


ISSUER, CLIENT = "https://idp.example", "gateway-client"


@pytest.fixture
def signed_id_token():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    provider = IdentityProvider(OidcSettings(ISSUER, CLIENT, "secret", "https://gw.example/auth/callback"))
    provider._metadata = {"issuer": ISSUER, "userinfo_endpoint": f"{ISSUER}/userinfo"}
    provider._keys = {"k1": jwt.PyJWK.from_dict({**jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True),
                                                 "kid": "k1", "alg": "RS256"})}

    def sign(**claims) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": CLIENT, "sub": "fc-sub", "iat": now, "exp": now + 60, "nonce": "n1", **claims}
        return jwt.encode({k: v for k, v in body.items() if v is not None}, key, algorithm="RS256",
                          headers={"kid": claims.pop("kid", "k1")})

    return provider, sign


@pytest.mark.parametrize("claims", [
    {"nonce": "another login's"}, {"aud": "another-client"}, {"iss": "https://elsewhere.example"},
    {"exp": int(time.time()) - 120}, {"nonce": None}, {"aud": [CLIENT, "other"], "azp": "other"},
])
def test_an_id_token_not_for_this_login_is_refused(signed_id_token, claims):
    provider, sign = signed_id_token
    with pytest.raises(Problem) as refused:
        asyncio.run(provider.verified_id_token(httpx.AsyncClient(), sign(**claims), "n1"))
    assert refused.value.status == 502 and refused.value.slug == "identity-provider-error"


def test_an_id_token_for_this_login_is_accepted(signed_id_token):
    provider, sign = signed_id_token
    claims = asyncio.run(provider.verified_id_token(httpx.AsyncClient(), sign(), "n1"))
    assert claims["sub"] == "fc-sub"


def test_claims_lacking_what_matching_needs_are_refused():
    with pytest.raises(Problem):
        match_body({"family_name": "Martin", "given_name": "Camille", "birthcountry": "99100"})


def test_a_verb_the_gateways_own_me_route_does_not_answer_is_a_404_problem_not_a_failure(gateway):
    person = {"Authorization": f"Bearer {gateway.app.state.token_issuer.issue_person('reg_camille')}"}
    for method, path in (("POST", "/v1/me/export"), ("GET", "/v1/me/export/elsewhere")):
        answer = gateway.request(method, path, headers=person)
        assert answer.status_code in (404, 405) and answer.headers["content-type"] == PROBLEM, (method, path)


@pytest.mark.parametrize("audience, accepted", [(CLIENT, True), ("another-client", False)])
def test_userinfo_signed_as_franceconnect_v2_answers_is_verified(signed_id_token, audience, accepted):
    provider, sign = signed_id_token
    signed = sign(aud=audience, nonce=None, family_name="Martin")
    # A unit test: the provider's answer stands in, as the real local provider answers JSON.
    transport = httpx.MockTransport(lambda request: httpx.Response(
        200, text=signed, headers={"Content-Type": "application/jwt"}))
    ask = provider.userinfo(httpx.AsyncClient(transport=transport), "access-token")
    if accepted:
        assert asyncio.run(ask)["family_name"] == "Martin"
    else:
        with pytest.raises(Problem):
            asyncio.run(ask)
