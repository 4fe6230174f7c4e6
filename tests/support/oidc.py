"""The local OpenID provider (deploy/local/oidc/) as a real process for tests, and a person logging in
through it as a browser would (follow the redirects, post the login form, then the consent form), and
out (the gateway's logout, then the provider's confirmation)."""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx

from services.core.settings import REPO_ROOT
from tests.support.processes import free_port
from tests.support.polling import url_answers

OIDC_DIR = REPO_ROOT / "deploy" / "local" / "oidc"
CLIENT_ID = "france-travail-gateway"
CLIENT_SECRET = "demo-oidc-gateway-secret"
DEMO_PASSWORD = "demo"
_FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


@dataclass
class OidcProvider:
    issuer: str
    redirect_uri: str
    process: subprocess.Popen

    @classmethod
    def start(cls, redirect_uri: str, log_dir: Path) -> "OidcProvider":
        """On a free port, the gateway's callback `redirect_uri` registered; installed from npm first if needed."""
        subprocess.run([str(OIDC_DIR / "install.sh")], check=True, capture_output=True)
        port = free_port()
        issuer = f"http://127.0.0.1:{port}"
        env = {**os.environ, "OIDC_PORT": str(port), "OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID,
               "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_REDIRECT_URIS": redirect_uri}
        log = open(log_dir / "oidc-provider.log", "ab")
        process = subprocess.Popen(["node", "provider.mjs"], cwd=OIDC_DIR, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        provider = cls(issuer, redirect_uri, process)
        try:
            provider._wait_ready()
        except BaseException:
            provider.stop()
            raise
        return provider

    def _wait_ready(self, timeout: float = 30.0) -> None:
        if not url_answers(f"{self.issuer}/.well-known/openid-configuration", timeout, interval=0.1,
                           alive=lambda: self.process.poll() is None):
            if self.process.poll() is not None:
                raise RuntimeError("the OpenID provider exited; see oidc-provider.log")
            raise RuntimeError(f"the OpenID provider did not answer in {timeout}s")

    def gateway_env(self) -> dict[str, str]:
        """The gateway's settings for this provider (gateway/oidc.py: OidcSettings)."""
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_REDIRECT_URI": self.redirect_uri}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def log_in(browser: httpx.Client, login: str, password: str = DEMO_PASSWORD) -> httpx.Response:
    """A person logs in from `GET /auth/login` on the gateway `browser` points at; the answer of the
    gateway's callback (a 303 to the personal space, or a refusal), redirects not followed past it."""
    page = browser.get("/auth/login", follow_redirects=True)
    assert page.status_code == 200 and "Connexion" in page.text, page.text
    page = browser.post(_action(page), data={"login": login, "password": password}, follow_redirects=True)
    assert page.status_code == 200 and "Autorisation" in page.text, page.text
    answer = browser.post(_action(page))
    while answer.is_redirect and "/auth/callback" not in str(answer.url):
        answer = browser.send(answer.next_request)
    return answer


_LOGOUT_FORM = re.compile(r'<form id="op.logoutForm" method="post" action="([^"]+)">'
                          r'<input type="hidden" name="xsrf" value="([^"]+)"/>')


def log_out(browser: httpx.Client) -> httpx.Response:
    """A person logs out from the gateway `browser` points at, and confirms at the provider; the answer of
    the gateway's `/auth/logout/callback` (a 303 to the personal space, or a refusal), not followed."""
    return confirm_logout(browser, browser.post("/auth/logout"))


def confirm_logout(browser: httpx.Client, logout: httpx.Response) -> httpx.Response:
    """The gateway's answer to the logout followed to the provider, where the person confirms."""
    assert logout.status_code == 303, logout.text
    page = browser.get(logout.headers["location"])
    assert page.status_code == 200 and "Déconnexion" in page.text, page.text
    action, xsrf = _LOGOUT_FORM.search(page.text).groups()
    answer = browser.post(str(page.url.join(action)), data={"xsrf": xsrf, "logout": "yes"})
    while answer.is_redirect and "/auth/logout/callback" not in str(answer.url):
        answer = browser.send(answer.next_request)
    return answer


def _action(page: httpx.Response) -> str:
    """The first form's action, absolute on the page's host."""
    return str(page.url.join(_FORM_ACTION.search(page.text).group(1)))
