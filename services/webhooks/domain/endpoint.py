"""A partner's webhook endpoint: where, what, and with which secrets its deliveries are signed.

An endpoint belongs to the organisation that registered it (its id, type and territories are kept,
as the visibility rule reads them at each delivery). It is active, paused (by its owner, or by the
platform when a delivery failed for its whole retry schedule) or disabled (its receiver answered
410 Gone: it asks never to be called again until its owner resumes it). Pausing and disabling hold
the deliveries, they do not drop them: resuming sends what waited, in order.

Secrets rotate with an overlap: the new secret signs at once, the previous one keeps signing until
the overlap ends, so a receiver can switch without losing a delivery.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from services.core.errors import InvalidTransition, RuleBroken

MAX_EVENT_TYPES = 50
MAX_FILTER_VALUES = 110  # every département and then some
MAX_ROTATION_OVERLAP = timedelta(days=7)
DEFAULT_ROTATION_OVERLAP = timedelta(hours=24)


class EndpointState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DISABLED = "disabled"


class SuspensionReason(StrEnum):
    OWNER = "owner"  # the partner paused it
    FAILING = "failing"  # a delivery failed for its whole retry schedule
    GONE = "gone"  # the receiver answered 410


@dataclass(frozen=True)
class Owner:
    """The organisation an endpoint delivers to (person_policy.Organisation)."""

    org_id: str
    org_type: str
    territories: tuple[str, ...]


@dataclass(frozen=True)
class EndpointFilter:
    """Narrows what an endpoint receives, within what its owner is entitled to: the départements
    the subject lives in (people) or is placed in (offers), the organisations publishing offers."""

    departements: tuple[str, ...] = ()
    offer_publishers: tuple[str, ...] = ()

    def accepts(self, departement_code: str | None, publisher: str | None) -> bool:
        if self.departements and departement_code not in self.departements:
            return False
        return not (self.offer_publishers and publisher is not None and publisher not in self.offer_publishers)

    def to_dict(self) -> dict:
        return {"departements": list(self.departements), "offer_publishers": list(self.offer_publishers)}

    @classmethod
    def from_dict(cls, data: dict | None) -> "EndpointFilter":
        data = data or {}
        return cls(tuple(data.get("departements") or ()), tuple(data.get("offer_publishers") or ()))


@dataclass(frozen=True)
class SigningSecret:
    value: str
    created_at: datetime
    expires_at: datetime | None = None

    def valid_at(self, moment: datetime) -> bool:
        return self.expires_at is None or moment < self.expires_at


@dataclass(frozen=True)
class EndpointSuspended:
    """Domain event: the platform stopped delivering to the endpoint; its technical contact is told."""

    endpoint_id: str
    state: EndpointState
    reason: SuspensionReason
    at: datetime


@dataclass
class Endpoint:
    id: str
    owner: Owner
    url: str
    event_types: tuple[str, ...]
    filter: EndpointFilter
    secrets: list[SigningSecret]
    created_at: datetime
    technical_contact: str | None = None
    description: str | None = None
    state: EndpointState = EndpointState.ACTIVE
    state_reason: SuspensionReason | None = None
    version: int = 1
    events: list[EndpointSuspended] = field(default_factory=list)

    @classmethod
    def register(cls, endpoint_id: str, owner: Owner, url: str, event_types: list[str], filter: EndpointFilter,
                 secret: str, now: datetime, known_types: frozenset[str], technical_contact: str | None = None,
                 description: str | None = None) -> "Endpoint":
        endpoint = cls(endpoint_id, owner, url, (), filter, [SigningSecret(secret, now)], now, technical_contact,
                       description)
        endpoint.event_types = checked_event_types(event_types, known_types)
        check_filter(filter)
        return endpoint

    # -- what it receives ----------------------------------------------------------------------
    def subscribes_to(self, event_type: str) -> bool:
        return event_type in self.event_types

    def wants(self, event_type: str, departement_code: str | None, publisher: str | None) -> bool:
        return self.subscribes_to(event_type) and self.filter.accepts(departement_code, publisher)

    @property
    def delivering(self) -> bool:
        return self.state == EndpointState.ACTIVE

    # -- changes by its owner ------------------------------------------------------------------
    def change(self, *, url: str, event_types: list[str], filter: EndpointFilter, technical_contact: str | None,
               description: str | None, known_types: frozenset[str]) -> None:
        self.event_types = checked_event_types(event_types, known_types)
        check_filter(filter)
        self.url, self.filter = url, filter
        self.technical_contact, self.description = technical_contact, description
        self.version += 1

    def pause(self) -> None:
        if self.state == EndpointState.DISABLED:
            raise InvalidTransition("The endpoint is disabled (its receiver answered 410); resume it first.")
        self.state, self.state_reason = EndpointState.PAUSED, SuspensionReason.OWNER
        self.version += 1

    def resume(self) -> None:
        """Active again, whatever stopped it: the deliveries that waited go out in order."""
        self.state, self.state_reason = EndpointState.ACTIVE, None
        self.version += 1

    def rotate_secret(self, new_secret: str, now: datetime, overlap: timedelta = DEFAULT_ROTATION_OVERLAP) -> None:
        """The new secret signs from now; the current ones until `now + overlap` at the latest."""
        if overlap < timedelta(0) or overlap > MAX_ROTATION_OVERLAP:
            raise RuleBroken(f"The overlap lasts from 0 to {MAX_ROTATION_OVERLAP.days} days.", field="overlap_seconds")
        ends = now + overlap
        kept = [replace(s, expires_at=min(s.expires_at or ends, ends)) for s in self.secrets if s.valid_at(now)]
        self.secrets = [SigningSecret(new_secret, now), *[s for s in kept if s.valid_at(now)]]
        self.version += 1

    def signing_secrets(self, now: datetime) -> list[str]:
        return [secret.value for secret in self.secrets if secret.valid_at(now)]

    # -- what deliveries tell --------------------------------------------------------------------
    def receiver_gone(self, now: datetime) -> None:
        """410 Gone: the receiver asks not to be called again."""
        self._suspend(EndpointState.DISABLED, SuspensionReason.GONE, now)

    def delivery_given_up(self, now: datetime) -> None:
        """A delivery failed at every attempt of its schedule (about three days): stop until the
        owner has repaired its receiver and resumes."""
        if self.state == EndpointState.ACTIVE:
            self._suspend(EndpointState.PAUSED, SuspensionReason.FAILING, now)

    def _suspend(self, state: EndpointState, reason: SuspensionReason, now: datetime) -> None:
        if self.state == state:
            return
        self.state, self.state_reason = state, reason
        self.version += 1
        self.events.append(EndpointSuspended(self.id, state, reason, now))


def checked_event_types(event_types: list[str], known_types: frozenset[str]) -> tuple[str, ...]:
    unknown = sorted(set(event_types) - known_types)
    if unknown:
        raise RuleBroken(f"Unknown event types: {', '.join(unknown)}.", field="event_types")
    if not event_types or len(event_types) > MAX_EVENT_TYPES:
        raise RuleBroken(f"Name 1 to {MAX_EVENT_TYPES} event types.", field="event_types")
    return tuple(sorted(set(event_types)))


def check_filter(filter: EndpointFilter) -> None:
    if len(filter.departements) > MAX_FILTER_VALUES or len(filter.offer_publishers) > MAX_FILTER_VALUES:
        raise RuleBroken(f"A filter lists at most {MAX_FILTER_VALUES} values.", field="filter")
