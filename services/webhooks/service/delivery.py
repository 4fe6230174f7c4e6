"""The delivery job: sends the due deliveries, signed, and records what each attempt answered.

Each run claims a batch in one transaction (a lease: the rows' next attempt moves a minute ahead, so
another runner leaves them, and a crash mid-send retries them with the same `webhook-id`), sends
outside any transaction (an answer may take 15 s), then records the outcomes in another. Before each
attempt the subject's entitlement (and the endpoint's filter) is asked again on the current facts,
and the URL checked again against the SSRF rule (DNS answers change); the send then resolves the host
once more, checks every address and connects to one of those, keeping the URL's host as Host header
and TLS server name: connecting by name would resolve a third time, and a host rebinding to 127.0.0.1
between check and connect would reach the platform's own network. 2xx: delivered. 410: the endpoint is disabled, the delivery waits for its
owner to resume it. Anything else, or no answer: again per the retry schedule, until given up, which
pauses the endpoint. A subject's later delivery waits behind its earlier one (`DeliveryRepository.due`).
"""
from __future__ import annotations

import json
import random
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.orm import Session

from services.core.db import Database
from services.core.outbox import Outbox
from services.core.person_facts import PersonFactsRepository
from services.webhooks.adapters.orm import DeliveryRow
from services.webhooks.adapters.repository import DELIVERED, FAILED, WITHHELD, DeliveryRepository, EndpointRepository
from services.webhooks.domain.catalogue import OFFER, TEST
from services.webhooks.domain.endpoint import Endpoint
from services.webhooks.domain.entitlement import entitled
from services.webhooks.domain.retry import next_attempt_at
from services.webhooks.domain.signing import signed_headers
from services.webhooks.domain.ssrf import Resolver, UnsafeUrl, check_url, connectable_addresses
from services.webhooks.service.suspension import publish_suspensions

TIMEOUT_SECONDS = 15.0
LEASE = timedelta(seconds=60)  # longer than an attempt's timeout
SENDERS = 16  # attempts in flight at once, across endpoints
# A change about a person whose registration has not been read yet waits for it, this long at most.
FACTS_WAIT, FACTS_POLL = timedelta(hours=1), timedelta(seconds=5)


def resolve_host(host: str, port: int) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})


@dataclass(frozen=True)
class Attempt:
    delivery_id: str
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int


class Deliverer:
    def __init__(self, db: Database, outbox: Outbox, *, allowed_hosts: frozenset[str], resolve: Resolver = resolve_host,
                 batch: int = 200, jitter: Callable[[], float] = random.random,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.db, self.outbox, self.allowed_hosts, self.resolve = db, outbox, allowed_hosts, resolve
        self.batch, self.jitter, self.wall_clock = batch, jitter, wall_clock
        # No redirects: a public URL must not bounce a delivery onto the platform's own network.
        self.client = httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False)
        self.pool = ThreadPoolExecutor(SENDERS, thread_name_prefix="webhook-send")

    def run(self, now: datetime) -> int:
        """Send every delivery due at `now`; returns how many attempts were made."""
        made = 0
        while True:
            attempts, claimed = self.claim(now)
            outcomes = list(self.pool.map(self.send, attempts))
            self._record(list(zip(attempts, outcomes)), now)
            made += len(attempts)
            # Every row claimed left the due set (leased, postponed, withheld): a full batch may hide more.
            if claimed < self.batch:
                return made

    def close(self) -> None:
        self.pool.shutdown(wait=False)
        self.client.close()

    # -- claim ---------------------------------------------------------------------------------
    def claim(self, now: datetime) -> tuple[list[Attempt], int]:
        """The attempts to make now, and how many due rows were claimed to prepare them."""
        with self.db.transaction() as session:
            deliveries = DeliveryRepository(session)
            endpoints: dict[str, Endpoint | None] = {}
            # Each endpoint's URL checked once a claim, not once a row: a host that does not resolve
            # takes the resolver's timeout (seconds), and a batch of its rows held every other
            # partner's deliveries, and the database's write lock, that many times over.
            refusals: dict[str, str | None] = {}
            attempts = []
            due = deliveries.due(now, self.batch)
            for row in due:
                if row.endpoint_id not in endpoints:
                    endpoints[row.endpoint_id] = endpoint = EndpointRepository(session).get(row.endpoint_id)
                    refusals[row.endpoint_id] = self._refusal(endpoint) if endpoint is not None else None
                endpoint = endpoints[row.endpoint_id]
                if endpoint is None:
                    continue
                attempt = self._prepare(session, deliveries, row, endpoint, refusals[row.endpoint_id], now)
                if attempt is not None:
                    attempts.append(attempt)
            return attempts, len(due)

    def _refusal(self, endpoint: Endpoint) -> str | None:
        """Why the SSRF rule refuses the endpoint's URL now, or None."""
        try:
            check_url(endpoint.url, self.resolve, self.allowed_hosts)
        except UnsafeUrl as exc:
            return str(exc)[:500]
        return None

    def _prepare(self, session: Session, deliveries: DeliveryRepository, row: DeliveryRow, endpoint: Endpoint,
                 refusal: str | None, now: datetime) -> Attempt | None:
        if row.kind not in (OFFER, TEST):
            facts = PersonFactsRepository(session).get(row.subject)
            if facts is None and now - row.created_at < FACTS_WAIT:
                row.next_attempt_at = now + FACTS_POLL  # the registration is still on its way
                return None
            if facts is None or not endpoint.filter.accepts(facts.departement_code, None) or not entitled(
                    endpoint.owner, row.kind, facts, now.date()):
                row.status, row.finished_at = WITHHELD, now  # never sent, never shown: not theirs to know
                return None
        if refusal is not None:
            deliveries.record_attempt(row, now, None, refusal, 0)
            self._reschedule(session, row, endpoint, now)
            return None
        row.next_attempt_at = now + LEASE
        body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
        headers = signed_headers(endpoint.signing_secrets(now), row.id, int(self.wall_clock()), body)
        return Attempt(row.id, endpoint.url, {"content-type": "application/json", **headers}, body)

    # -- send ----------------------------------------------------------------------------------
    def send(self, attempt: Attempt) -> Outcome:
        started = time.monotonic()
        try:
            addresses = connectable_addresses(attempt.url, self.resolve, self.allowed_hosts)
        except UnsafeUrl as exc:
            return Outcome(None, str(exc)[:500], _elapsed_ms(started))
        target, error = httpx.URL(attempt.url), ""
        # The URL's host (IDNA-encoded) stays the Host header and the TLS server name the certificate must match.
        host, server_name = target.netloc.decode("ascii"), target.raw_host.decode("ascii")
        for address in addresses:  # the next checked address when one refuses, as a connection by name would
            try:
                response = self.client.post(target.copy_with(host=address), content=attempt.body,
                                            headers={**attempt.headers, "host": host},
                                            extensions={"sni_hostname": server_name})
                return Outcome(response.status_code, None, _elapsed_ms(started))
            except httpx.ConnectError as exc:
                error = f"{type(exc).__name__}: {exc}"
            except httpx.HTTPError as exc:
                return Outcome(None, f"{type(exc).__name__}: {exc}"[:500], _elapsed_ms(started))
        return Outcome(None, error[:500], _elapsed_ms(started))

    # -- record --------------------------------------------------------------------------------
    def _record(self, results: list[tuple[Attempt, Outcome]], now: datetime) -> None:
        if not results:
            return
        with self.db.transaction() as session:
            deliveries, endpoints = DeliveryRepository(session), EndpointRepository(session)
            for attempt, outcome in results:
                row = deliveries.get(attempt.delivery_id)
                endpoint = endpoints.get(row.endpoint_id, lock=True) if row is not None else None
                if endpoint is None:
                    continue  # deleted meanwhile
                deliveries.record_attempt(row, now, outcome.status_code, outcome.error, outcome.duration_ms)
                if outcome.status_code is not None and 200 <= outcome.status_code < 300:
                    row.status, row.finished_at, row.next_attempt_at = DELIVERED, now, None
                elif outcome.status_code == 410:
                    endpoint.receiver_gone(now)
                    row.next_attempt_at = now  # sent as soon as the owner resumes the endpoint
                    self._save(session, endpoints, endpoint)
                else:
                    self._reschedule(session, row, endpoint, now)

    def _reschedule(self, session: Session, row: DeliveryRow, endpoint: Endpoint, now: datetime) -> None:
        row.next_attempt_at = next_attempt_at(row.attempts, now, self.jitter)
        if row.next_attempt_at is None:
            row.status, row.finished_at = FAILED, now
            endpoint.delivery_given_up(now)
            self._save(session, EndpointRepository(session), endpoint)

    def _save(self, session: Session, endpoints: EndpointRepository, endpoint: Endpoint) -> None:
        endpoints.save(endpoint)
        publish_suspensions(session, self.outbox, endpoint)


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
