"""Partners' commands on their endpoints, and what they may see of their deliveries.

An endpoint belongs to its organisation: another organisation gets 404 for it, as for an unknown id
(administrators see every one). The URL is checked against the SSRF rule at registration and at
every change; the secret is answered once, at creation and at each rotation.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from services.core.errors import NotFound, RuleBroken
from services.core.identity import Caller
from services.core.outbox import Outbox
from services.webhooks.adapters.orm import AttemptRow, DeliveryRow
from services.webhooks.adapters.repository import (
    WITHHELD, ChangeRepository, DeliveryRepository, EndpointRepository,
)
from services.webhooks.domain.catalogue import PARTNER_EVENT_TYPES, TEST
from services.webhooks.domain.endpoint import Endpoint, EndpointFilter, Owner
from services.webhooks.domain.payload import test_event
from services.webhooks.domain.signing import new_secret
from services.webhooks.domain.ssrf import Resolver, UnsafeUrl, check_url
from services.webhooks.service.recording import delivery_of, message_id

NOT_FOUND = "No webhook endpoint of your organisation has this id."
DELIVERY_NOT_FOUND = "No delivery of this endpoint has this id."
MAX_REPLAY = 1000


@dataclass(frozen=True)
class EndpointSpec:
    url: str
    event_types: list[str]
    filter: EndpointFilter
    technical_contact: str | None
    description: str | None


class EndpointService:
    def __init__(self, outbox: Outbox, clock: Callable[[], datetime], resolve: Resolver,
                 allowed_hosts: frozenset[str], secrets: Callable[[], str] = new_secret) -> None:
        self.outbox, self.clock, self.resolve, self.allowed_hosts = outbox, clock, resolve, allowed_hosts
        self.secrets = secrets

    def create(self, session: Session, caller: Caller, endpoint_id: str, spec: EndpointSpec) -> Endpoint:
        self._check_url(spec.url)
        endpoint = Endpoint.register(endpoint_id, Owner(caller.org_id, caller.org_type, caller.territories), spec.url,
                                     spec.event_types, spec.filter, self.secrets(), self.clock(), PARTNER_EVENT_TYPES,
                                     spec.technical_contact, spec.description)
        EndpointRepository(session).add(endpoint, caller.client_id)
        return endpoint

    def get(self, session: Session, caller: Caller, endpoint_id: str, *, lock: bool = False) -> Endpoint:
        endpoint = EndpointRepository(session).get(endpoint_id, lock=lock)
        if endpoint is None or not (caller.is_admin or endpoint.owner.org_id == caller.org_id):
            raise NotFound(NOT_FOUND)
        return endpoint

    def page(self, session: Session, caller: Caller, after: tuple[datetime, str] | None, limit: int) -> list[Endpoint]:
        return EndpointRepository(session).page(caller.org_id, after, limit)

    def change(self, session: Session, endpoint: Endpoint, spec: EndpointSpec) -> Endpoint:
        if spec.url != endpoint.url:
            self._check_url(spec.url)
        endpoint.change(url=spec.url, event_types=spec.event_types, filter=spec.filter,
                        technical_contact=spec.technical_contact, description=spec.description,
                        known_types=PARTNER_EVENT_TYPES)
        EndpointRepository(session).save(endpoint)
        return endpoint

    def act(self, session: Session, caller: Caller, endpoint_id: str, action: Callable[[Endpoint], None]) -> Endpoint:
        endpoint = self.get(session, caller, endpoint_id, lock=True)
        action(endpoint)
        EndpointRepository(session).save(endpoint)
        return endpoint

    def rotate(self, session: Session, caller: Caller, endpoint_id: str, overlap: timedelta) -> tuple[Endpoint, str]:
        secret = self.secrets()
        endpoint = self.act(session, caller, endpoint_id, lambda e: e.rotate_secret(secret, self.clock(), overlap))
        return endpoint, secret

    def delete(self, session: Session, caller: Caller, endpoint_id: str) -> Endpoint:
        endpoint = self.get(session, caller, endpoint_id, lock=True)
        EndpointRepository(session).delete(endpoint.id)
        return endpoint

    def send_test(self, session: Session, caller: Caller, endpoint_id: str) -> DeliveryRow:
        """A test event, delivered as any other (signed, retried), about the endpoint itself."""
        endpoint = self.get(session, caller, endpoint_id)
        now, delivery_id = self.clock(), message_id()
        row = DeliveryRow(id=delivery_id, endpoint_id=endpoint.id, change_position=None,
                          event_type=test_event(delivery_id, endpoint.id, now)["type"], kind=TEST,
                          subject=endpoint.id, status="pending", attempts=0, next_attempt_at=now, created_at=now,
                          payload=test_event(delivery_id, endpoint.id, now))
        DeliveryRepository(session).add(row)
        session.flush()
        return row

    # -- deliveries ----------------------------------------------------------------------------
    def deliveries(self, session: Session, caller: Caller, endpoint_id: str, after: tuple[datetime, str] | None,
                   limit: int) -> tuple[list[DeliveryRow], dict[str, list[AttemptRow]]]:
        endpoint = self.get(session, caller, endpoint_id)
        repository = DeliveryRepository(session)
        rows = repository.page(endpoint.id, after, limit)
        return rows, repository.attempts_of([row.id for row in rows])

    def replay(self, session: Session, caller: Caller, endpoint_id: str, *, since: datetime | None,
               delivery_id: str | None) -> list[DeliveryRow]:
        """New deliveries (new `webhook-id`s: the receiver asked for them again) of one delivery's
        change, or of every change since a moment the endpoint subscribes to and passes its filter;
        entitlement is asked at each attempt, as for any delivery."""
        endpoint = self.get(session, caller, endpoint_id)
        changes, deliveries, now = ChangeRepository(session), DeliveryRepository(session), self.clock()
        if delivery_id is not None:
            original = deliveries.get(delivery_id)
            if original is None or original.endpoint_id != endpoint.id or original.status == WITHHELD:
                raise NotFound(DELIVERY_NOT_FOUND, field="delivery_id")
            replayed = [_again(original, now)]
        else:
            found = changes.since(since, endpoint.event_types, MAX_REPLAY + 1)
            if len(found) > MAX_REPLAY:
                raise RuleBroken(f"More than {MAX_REPLAY} changes since then: replay from a later moment, or catch "
                                 "up with the change feed (GET /v1/changes).", field="since")
            replayed = [delivery_of(change, endpoint.id, now, replay_of="since")
                        for change in found if endpoint.filter.accepts(change.departement_code, change.publisher)]
        for row in replayed:
            deliveries.add(row)
        session.flush()
        return replayed

    def _check_url(self, url: str) -> None:
        try:
            check_url(url, self.resolve, self.allowed_hosts)
        except UnsafeUrl as exc:
            raise RuleBroken(str(exc), field="url") from exc


def _again(original: DeliveryRow, now: datetime) -> DeliveryRow:
    return DeliveryRow(id=message_id(), endpoint_id=original.endpoint_id, change_position=original.change_position,
                       event_type=original.event_type, kind=original.kind, subject=original.subject, status="pending",
                       attempts=0, next_attempt_at=now, created_at=now, replay_of=original.id, payload=original.payload)


def filter_of(data: dict[str, Any] | None) -> EndpointFilter:
    return EndpointFilter.from_dict(data)
