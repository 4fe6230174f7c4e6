"""Sending a journey of documented examples to a platform that starts as `make run` does: fresh, with
consumers that have seen nothing yet, each example by its own demo client."""
from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import Mock

import httpx
from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition

from gateway.tokens import SigningKey, TokenIssuer
from services.core.app import ConsumerSpec
from services.core.manifest import load_manifest
from services.core.settings import TOKEN_AUDIENCE
from tests.contract.documented import send_example
from tests.support.contracts import CONTRACTS_DIR, ME, committed
from tests.support.kafka import unique_prefix
from tests.support.polling import eventually
from tests.support.stack import Stack

PUBLISHED = tuple(sorted(path.name.split(".")[0] for path in CONTRACTS_DIR.glob("*.v1.yaml")))


def consumer_specs(service: str) -> list[ConsumerSpec]:
    """The service's subscriptions, as its app declares them (their names and topics only matter here)."""
    try:
        declare = importlib.import_module(f"services.{service}.consumers").consumer_specs
    except ModuleNotFoundError:  # a service that consumes nothing
        return []
    return declare(*(Mock() for _ in inspect.signature(declare).parameters))


def past_history(broker) -> dict[str, str]:
    """Consumer-group prefixes whose groups start at the end of every topic: the examples describe a fresh
    platform, not one that has seen the events other tests (or earlier runs) left on the shared broker,
    which name the same example people."""
    prefixes = {service.name: unique_prefix() for service in load_manifest().services}
    consumer = KafkaConsumer(**broker.config, enable_auto_commit=False)
    try:
        ends = {}
        for topic in consumer.topics():
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
            ends.update(consumer.end_offsets(partitions))
    finally:
        consumer.close()
    for service, prefix in prefixes.items():
        for spec in consumer_specs(service):
            committed = {tp: OffsetAndMetadata(end, None, -1) for tp, end in ends.items() if tp.topic in spec.topics}
            if committed:
                group = KafkaConsumer(**broker.config, group_id=prefix + spec.name, enable_auto_commit=False)
                try:
                    group.commit(committed)
                finally:
                    group.close()
    return prefixes


@dataclass
class Journey:
    """Sends the examples; an example that fails is noted and the journey goes on, so that one run
    names every example that does not work (those after it may fail because of it: read the first)."""
    stack: Stack
    contracts: dict[str, dict[str, Any]] = field(default_factory=lambda: {name: committed(name) for name in PUBLISHED})
    sent: set[tuple[str, str, str]] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    _clients: dict[str, httpx.Client] = field(default_factory=dict)

    def api(self, client_id: str) -> httpx.Client:
        if client_id not in self._clients:
            self._clients[client_id] = self.stack.client(client_id)
        return self._clients[client_id]

    def as_person(self, name: str, person_id: str) -> None:
        """`name` then sends as the person, with the token the gateway issues them once logged in (signed
        with the gateway's key, as after its OpenID Connect callback)."""
        issuer = TokenIssuer(SigningKey(self.stack.workdir / "gateway-key.pem"), self.stack.url, TOKEN_AUDIENCE)
        self._clients[name] = httpx.Client(base_url=self.stack.url, timeout=30, headers={
            "Authorization": f"Bearer {issuer.issue_person(person_id)}"})

    def send(self, client_id: str, service: str, method: str, path: str) -> httpx.Response | None:
        self.sent.add((service, method, path))
        if path.startswith("/v1/me/"):
            # me.v1.yaml publishes the services' own /v1/me operations again, as one contract for the
            # person's door (tests/contract/test_me_contract.py holds them equal): sent once, sent for both.
            self.sent.add((ME, method, path))
        try:
            return send_example(self.api(client_id), self.contracts[service], method, path)
        except AssertionError as failure:
            self.failures.append(f"{service} as {client_id}: {str(failure).splitlines()[0][:600]}")
            return None

    def wait(self, client_id: str, path: str, accept: Callable[[httpx.Response], bool] = lambda answer: True,
             **params: Any) -> httpx.Response:
        """Poll the API until what an event brings is there (never a blind sleep)."""
        api = self.api(client_id)
        return eventually(lambda: api.get(path, params=params),
                          lambda answer: answer.status_code == 200 and accept(answer))

    @staticmethod
    def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "never happened"
            time.sleep(0.2)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
