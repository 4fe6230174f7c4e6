"""DNS rebinding: an attempt connects to an address its own SSRF check resolved, never to the host's
name, which may resolve elsewhere (127.0.0.1, a private range) by the time of connecting. The service's
resolvers are replaced by ones answering what a rebinding attacker's DNS would; nothing leaves loopback."""
from __future__ import annotations

import socket
import uuid
from datetime import timedelta

import pytest

from services.core.db import utcnow
from services.webhooks.tests.builders import registered
from services.webhooks.tests.integration.test_webhooks import (DEP, TYPES, _deliveries, deliver, deliveries_of,
                                                            register_endpoint, send)

pytestmark = pytest.mark.integration
PUBLIC = "93.184.216.34"


def rebinding_resolver():
    """Answers a public address to the first question, loopback to every later one."""
    asked = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return [PUBLIC] if len(asked) == 1 else ["127.0.0.1"]
    return resolve


def test_a_host_rebinding_to_loopback_after_the_check_is_not_connected_to(service, tokens):
    state = service.app.state
    state.webhook_endpoints.resolve = lambda host, port: [PUBLIC]
    state.webhook_deliverer.resolve = rebinding_resolver()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        # "localhost" is what the system's resolver would answer 127.0.0.1 for, had the send connected by name.
        endpoint = register_endpoint(service, tokens, f"https://localhost:{listener.getsockname()[1]}/hooks",
                                     event_types=TYPES)
        test = service.post(f"/v1/webhooks/{endpoint['id']}/test", headers=tokens.headers(DEP))
        assert test.status_code == 202
        deliver(service, utcnow() + timedelta(seconds=1))
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # no connection was ever made to the loopback listener
    [sent] = [d for d in _deliveries(service, tokens, endpoint["id"]) if d["id"] == test.json()["deliveries"][0]]
    [attempt] = sent["attempt_log"]
    assert attempt["status_code"] is None and "non-public address (127.0.0.1)" in attempt["error"]


def test_the_send_connects_to_the_checked_address_keeping_the_host_name(service, tokens, receiver):
    state, port = service.app.state, receiver.server.server_address[1]
    # A name no system resolver knows: only the service's own resolution can reach the receiver.
    for resolving in (state.webhook_endpoints, state.webhook_deliverer):
        resolving.resolve = lambda host, port: ["127.0.0.1"] if host == "receiver.test" else []
        resolving.allowed_hosts = frozenset({"receiver.test"})
    endpoint = register_endpoint(service, tokens, f"http://receiver.test:{port}/hooks", event_types=TYPES)
    assert service.post(f"/v1/webhooks/{endpoint['id']}/test", headers=tokens.headers(DEP)).status_code == 202
    deliver(service, utcnow() + timedelta(seconds=1))
    assert receiver.received and {r.headers["host"] for r in receiver.received} == {f"receiver.test:{port}"}


def test_a_claim_resolves_each_endpoint_s_host_once_however_many_of_its_deliveries_are_due(
        service, database_url, broker, tokens):
    """A host that stopped resolving costs the resolver's timeout: paid once a claim, not once a row,
    or one dead endpoint holds every other partner's deliveries behind it."""
    state, asked = service.app.state, []
    state.webhook_endpoints.resolve = lambda host, port: [PUBLIC]
    state.webhook_deliverer.resolve = lambda host, port: asked.append(host) or []
    endpoint = register_endpoint(service, tokens, "https://gone.example/hooks", event_types=TYPES[:1])
    people = [str(uuid.uuid4()) for _ in range(3)]
    send(broker, *(registered(person) for person in people))
    for person in people:
        deliveries_of(database_url, endpoint["id"], person, 1)
    deliver(service, utcnow() + timedelta(seconds=1))
    assert asked == ["gone.example"]
    sent = _deliveries(service, tokens, endpoint["id"])
    assert {d["subject"] for d in sent} == set(people)
    for delivery in sent:
        [attempt] = delivery["attempt_log"]
        assert attempt["status_code"] is None and "does not resolve" in attempt["error"]
