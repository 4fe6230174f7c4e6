import copy
import time

import pytest

from services.offers.api import examples
from services.offers.published import MATCHES, OFFERS
from tests.support.apps import service_client

OFFERS_TOPIC = OFFERS.address
MATCHES_TOPIC = MATCHES.address
EMPLOYER, OTHER_EMPLOYER, BOARD, AGENCY = "boulangerie-nantaise", "garage-angevin", "emploi-ouest-board", "interim-ouest"
COUNSELLOR, ADMIN = "ft-agence-nantes", "platform-admin"
SIRET = examples.SIRET


@pytest.fixture
def service(database_url, broker, tokens, consumer_prefix, tmp_path, monkeypatch):
    monkeypatch.setenv("OFFERS_SPOOL_DIR", str(tmp_path / "spool"))
    monkeypatch.setenv("OFFERS_SEARCH_DIR", str(tmp_path / "search"))
    with service_client("offers", database_url, broker, tokens, consumer_prefix) as client:
        yield client


def offer(**changes) -> dict:
    """The bakery's native offer, with changes (dotted keys reach inside: "contract.type")."""
    body = copy.deepcopy(examples.NATIVE)
    for key, value in changes.items():
        *parents, leaf = key.split(".")
        target = body
        for parent in parents:
            target = target.setdefault(parent, {})
        if value is None:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return body


class Offers:
    """Drives the service as its partners do, and reads what it publishes on Kafka."""

    def __init__(self, service, broker, tokens):
        self.service, self.broker, self.tokens = service, broker, tokens
        self.db = service.app.state.platform.db

    def headers(self, client: str, **extra) -> dict:
        return self.tokens.headers(client, **extra)

    def publish(self, body, client: str = EMPLOYER, params: dict | None = None, **headers):
        return self.service.post("/v1/offers", json=body, params=params or {}, headers=self.headers(client, **headers))

    def published(self, body, client: str = EMPLOYER, **kwargs) -> dict:
        answer = self.publish(body, client, **kwargs)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()

    def get(self, path: str, client: str = COUNSELLOR, **params):
        return self.service.get(path, params=params, headers=self.headers(client))

    def search(self, client: str = COUNSELLOR, **params) -> dict:
        answer = self.get("/v1/offers", client, **params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, body=None, client: str = EMPLOYER, **headers):
        return self.service.post(path, json=body, headers=self.headers(client, **headers))

    def upload(self, content: str | bytes, media_type: str, client: str = BOARD, **params):
        return self.service.post("/v1/offers/imports", content=content, params=params,
                                 headers=self.headers(client, **{"Content-Type": media_type}))

    def finished_import(self, location: str, client: str = BOARD, timeout: float = 120) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(location, client, limit=100).json()
            if job["status"] in ("completed", "failed"):
                return job
            time.sleep(0.2)
        raise AssertionError(f"import {location} not finished within {timeout}s")

    def events(self, topic: str, since, subject: str, count: int, timeout: float = 30) -> list[dict]:
        return self.broker.events(topic, since, subject, count, timeout)

    def types(self, topic: str, since, subject: str, count: int, timeout: float = 30) -> list[str]:
        return [e["type"] for e in self.events(topic, since, subject, count, timeout)]


@pytest.fixture
def offers(service, broker, tokens) -> Offers:
    return Offers(service, broker, tokens)
