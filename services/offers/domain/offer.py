"""The canonical offer as an aggregate: its status, the transitions between statuses, and the
domain events each change raises (the service layer turns them into outbox rows).

published ⇄ quarantined (each legality check decides), then published → filled | withdrawn |
expired, or quarantined → withdrawn. A closed offer changes no more. `document` is the normalised
offer (`OfferDraft.to_dict()`) as it now stands; what the offer's storage derives from it (search
columns, fingerprint, blocking keys) stays with the service.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.core.errors import InvalidTransition
from services.offers.domain.legality import is_blocking
from services.offers.domain.model import Finding


class OfferStatus(StrEnum):
    PUBLISHED = "published"
    QUARANTINED = "quarantined"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"

    @classmethod
    def after_check(cls, findings: Sequence[Finding]) -> "OfferStatus":
        """A blocking finding quarantines the offer: it is neither distributed nor deduplicated."""
        return cls.QUARANTINED if is_blocking(findings) else cls.PUBLISHED

    @property
    def closed(self) -> bool:
        return self in CLOSED


CLOSED = frozenset({OfferStatus.FILLED, OfferStatus.WITHDRAWN, OfferStatus.EXPIRED})


# -- domain events: their fields are what each event adds to the offer's state --------------------
@dataclass(frozen=True)
class OfferPublished:
    warnings: tuple[Finding, ...]


@dataclass(frozen=True)
class OfferQuarantined:
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class OfferUpdated:
    changed: tuple[str, ...]


@dataclass(frozen=True)
class OfferFilled:
    filled_at: datetime
    time_to_fill_days: float | None


@dataclass(frozen=True)
class OfferWithdrawn:
    withdrawn_at: datetime
    reason: str | None


@dataclass(frozen=True)
class OfferExpired:
    expired_at: datetime


OfferEvent = OfferPublished | OfferQuarantined | OfferUpdated | OfferFilled | OfferWithdrawn | OfferExpired


@dataclass(eq=False)
class Offer:
    id: str
    owner_org_id: str
    status: OfferStatus
    version: int
    document: dict[str, Any]
    updated_at: datetime
    published_at: datetime | None = None
    closed_at: datetime | None = None
    events: list[OfferEvent] = field(default_factory=list)

    @classmethod
    def new(cls, offer_id: str, owner_org_id: str, document: dict[str, Any], findings: Sequence[Finding],
            now: datetime) -> "Offer":
        """A new canonical offer, published or quarantined by its legality findings."""
        offer = cls(offer_id, owner_org_id, OfferStatus.after_check(findings), 1, document, now)
        offer._checked(findings, now)
        return offer

    # -- content -------------------------------------------------------------------------------
    def recheck(self, document: dict[str, Any], findings: Sequence[Finding], changed: Sequence[str],
                now: datetime) -> None:
        """Its primary source sent a new content, checked again: a quarantine entered or left is
        said with the check's findings, any other change as an update."""
        self._require_open("take a new content")
        was = self.status
        self.status = OfferStatus.after_check(findings)
        self._rewrite(document, now)
        if OfferStatus.QUARANTINED in (was, self.status):
            self._checked(findings, now)
        elif changed:
            self.events.append(OfferUpdated(tuple(changed)))

    def enrich(self, document: dict[str, Any], changed: Sequence[str], now: datetime) -> None:
        """Another copy of the same job brought what the offer lacked (a salary, hours, dates)."""
        self._require_open("be enriched")
        self._rewrite(document, now)
        self.events.append(OfferUpdated(tuple(changed)))

    # -- closing -------------------------------------------------------------------------------
    def fill(self, now: datetime) -> None:
        self._require(OfferStatus.PUBLISHED, to="be filled")
        days = (now - self.published_at).total_seconds() / 86400 if self.published_at else None
        self._close(OfferStatus.FILLED, now)
        self.events.append(OfferFilled(now, round(days, 2) if days is not None else None))

    def withdraw(self, reason: str | None, now: datetime) -> None:
        self._require(OfferStatus.PUBLISHED, OfferStatus.QUARANTINED, to="be withdrawn")
        self._close(OfferStatus.WITHDRAWN, now)
        self.events.append(OfferWithdrawn(now, reason))

    def expire(self, now: datetime) -> None:
        """Past its end date (`ends_on` is its last open day)."""
        self._require(OfferStatus.PUBLISHED, to="expire")
        self._close(OfferStatus.EXPIRED, now)
        self.events.append(OfferExpired(now))

    # -- inside --------------------------------------------------------------------------------
    def _checked(self, findings: Sequence[Finding], now: datetime) -> None:
        if self.status is OfferStatus.QUARANTINED:
            self.events.append(OfferQuarantined(tuple(findings)))
            return
        self.published_at = self.published_at or now
        self.events.append(OfferPublished(tuple(findings)))

    def _rewrite(self, document: dict[str, Any], now: datetime) -> None:
        self.document, self.updated_at = document, now
        self.version += 1

    def _close(self, status: OfferStatus, now: datetime) -> None:
        self.status, self.closed_at, self.updated_at = status, now, now
        self.version += 1

    def _require_open(self, to: str) -> None:
        self._require(OfferStatus.PUBLISHED, OfferStatus.QUARANTINED, to=to)

    def _require(self, *allowed: OfferStatus, to: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(f"This offer is {self.status}: it can no longer {to}.")
