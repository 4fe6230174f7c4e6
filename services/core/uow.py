"""The unit of work a use case runs in: its repositories and the events it emits, nothing else.

A service handler receives one instead of a database session, so the same handler runs on the
database (repositories over the session, events as outbox rows in the same transaction) and, in
unit tests, on in-memory fakes (`RecordedEvents` and the service's fake repositories). Each service
declares its own unit of work as a dataclass extending `UnitOfWork` with its repositories; the
transaction itself stays with the caller (`Database.transaction`, `run_idempotent`), so the
idempotency record commits with the effects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session

from services.core.events import Envelope, EventType, SchemaRegistry
from services.core.outbox import Outbox, PendingEvent, check_event_health_data


class EventSink(Protocol):
    def emit(self, event_type: EventType, subject: str, data: dict) -> None: ...

    def emit_all(self, events: list[PendingEvent]) -> None: ...


class OutboxEvents:
    """Events written as outbox rows in the session's transaction, published after its commit."""

    def __init__(self, session: Session, outbox: Outbox) -> None:
        self.session = session
        self.outbox = outbox

    def emit(self, event_type: EventType, subject: str, data: dict) -> None:
        self.outbox.add_event(self.session, event_type, subject, data)

    def emit_all(self, events: list[PendingEvent]) -> None:
        self.outbox.add_events(self.session, events)


@dataclass
class RecordedEvents:
    """The fake sink of unit tests: events kept in order. Given the schema registry, each event is
    checked against its schema as the outbox would, so a unit test catches a malformed event."""

    schemas: SchemaRegistry | None = None
    emitted: list[PendingEvent] = field(default_factory=list)

    def emit(self, event_type: EventType, subject: str, data: dict) -> None:
        self.emit_all([PendingEvent(event_type, subject, data)])

    def emit_all(self, events: list[PendingEvent]) -> None:
        for pending in events:
            if self.schemas is not None:
                self.schemas.validate(Envelope(type=pending.event_type.name, source="test", subject=pending.subject,
                                               data=pending.data).to_dict())
            check_event_health_data(pending)
            self.emitted.append(pending)

    def of_type(self, event_type: EventType) -> list[PendingEvent]:
        return [pending for pending in self.emitted if pending.event_type == event_type]


@dataclass
class UnitOfWork:
    """Base of every service's unit of work: where its events go."""

    events: EventSink
