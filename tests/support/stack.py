"""A whole local platform for end-to-end tests: every service and the gateway as processes, real Kafka."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from services.core.manifest import load_manifest
from services.core.migrations import upgrade
from tests.support.kafka import TestBroker, unique_prefix
from tests.support.oidc import OidcProvider
from tests.support.polling import url_answers
from tests.support.processes import ServiceProcess, free_port
from tests.support.tokens import demo_partners


@dataclass
class Stack:
    broker: TestBroker
    workdir: Path
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    gateway: ServiceProcess | None = None
    oidc: OidcProvider | None = None  # the local OpenID provider people log in at (deploy/local/oidc/)
    _tokens: dict[str, tuple[str, float]] = field(default_factory=dict)

    @classmethod
    def start(cls, broker: TestBroker, workdir: Path, database_url: str | None = None,
              database_urls: dict[str, str] | None = None, group_prefixes: dict[str, str] | None = None,
              **registration_env: str) -> "Stack":
        """Every process of deploy/services.yaml, each service on its own database (SQLite files in
        `workdir` unless given), the gateway last. `group_prefixes`: a service's consumer-group prefix
        (unique otherwise). `registration_env` tunes the registration process."""
        stack = cls(broker, workdir)
        urls = {"registration": database_url} if database_url else {}
        urls.update(database_urls or {})
        gateway_url = f"http://127.0.0.1:{free_port()}"
        # The webhooks' receivers of the tests listen on 127.0.0.1, and the documented example's host
        # resolves nowhere: both allowed past the SSRF rule, as the local demo's setting would.
        common = {"GATEWAY_URL": gateway_url, "DATA_DIR": str(workdir), "LOG_LEVEL": "INFO",
                  "WEBHOOKS_ALLOWED_HOSTS": "127.0.0.1,rsa.loire-atlantique.example"}
        stack.oidc = OidcProvider.start(f"{gateway_url}/auth/callback", workdir)
        # A person's token is metered per person; the tests sweep every route with one.
        gateway_env = {**common, "GATEWAY_KEY_FILE": str(workdir / "gateway-key.pem"), **stack.oidc.gateway_env(),
                       "GATEWAY_PERSON_PER_MINUTE": "6000"}
        manifest = load_manifest()
        for service in manifest.services:
            url = urls.setdefault(service.name, f"sqlite:///{workdir / service.name}.db")
            upgrade(service.name, url)
            prefix = (group_prefixes or {}).get(service.name) or unique_prefix()  # shared by its processes
            for spec in service.processes:
                env = {**common, **broker.process_env(service.name), **spec.environment(), "DATABASE_URL": url,
                       "CONSUMER_GROUP_PREFIX": prefix, **(registration_env if spec.name == "registration" else {})}
                broker.allow_groups(service.name, env["CONSUMER_GROUP_PREFIX"])
                stack.services[spec.name] = ServiceProcess(spec.name, spec.app, free_port(), env, workdir)
            gateway_env[f"{service.name.upper()}_URL"] = stack.services[service.api.name].url
        stack.gateway = ServiceProcess("gateway", manifest.gateway.app, int(gateway_url.rsplit(":", 1)[1]),
                                       gateway_env, workdir)
        try:
            for process in stack.services.values():
                process.start()
            stack.gateway.start(wait_path="/healthz")
            _wait_ready(stack.gateway.url)
        except BaseException:
            stack.stop()  # a process that did not get ready leaves none of the others running
            raise
        return stack

    @property
    def registration(self) -> ServiceProcess:
        return self.services["registration"]

    @property
    def url(self) -> str:
        return self.gateway.url

    def token(self, client_id: str) -> str:
        """A real token from the gateway, renewed well before it expires (a suite outlives one)."""
        token, expires_at = self._tokens.get(client_id, ("", 0.0))
        if time.monotonic() > expires_at:
            partner = demo_partners()[client_id]
            answer = httpx.post(f"{self.url}/oauth/token", data={
                "grant_type": "client_credentials", "client_id": client_id, "client_secret": partner.client_secret})
            answer.raise_for_status()
            token = answer.json()["access_token"]
            self._tokens[client_id] = (token, time.monotonic() + answer.json()["expires_in"] / 2)
        return token

    def client(self, client_id: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.token(client_id)}"},
                            timeout=30)

    def restart_registration(self, kill: bool = True, **env: str) -> None:
        self.registration.stop(kill=kill)
        self.registration.env.update(env)
        self.registration.start()

    def stop(self) -> None:
        for process in (self.gateway, *self.services.values()):
            if process is not None:
                process.stop()
        if self.oidc is not None:
            self.oidc.stop()


def _wait_ready(gateway_url: str, timeout: float = 120.0) -> None:
    """The gateway's /readyz asks every service in turn: seconds on a loaded machine, where a probe
    giving up after one second never saw it answer."""
    if not url_answers(f"{gateway_url}/readyz", timeout, probe_timeout=30, interval=0.5):
        raise RuntimeError(f"the gateway's services not ready after {timeout}s")
