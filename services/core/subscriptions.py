"""The startup check of a consumer's subscriptions against the event contract.

A consumer ignores the event types it has no handler for (topics carry several), so a handler keyed
by a type nobody publishes would never fire and nobody would notice. Each handler key must therefore
have its schema under `schemas/` and be declared, in `schemas/asyncapi.yaml`, as a message of the
channel it is read from; otherwise the service refuses to start.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from services.core.events import EventType, InvalidEvent, SchemaRegistry


class UndeclaredSubscription(RuntimeError):
    """A handler key the event contract does not declare: a programming error, raised at startup."""


def check_subscriptions(handlers: Iterable[EventType], schemas: SchemaRegistry,
                        channels: Mapping[str, frozenset[str]]) -> None:
    """`channels`: each topic with the event types declared on it (`broker.declared_channels()`)."""
    for event_type in handlers:
        try:
            schemas.validator(event_type.schema_file)
        except InvalidEvent as exc:
            raise UndeclaredSubscription(f"handler for {event_type.name}: {exc}") from exc
        topic = event_type.topic.address
        if topic not in channels:
            raise UndeclaredSubscription(
                f"handler for {event_type.name}: topic {topic} is not a channel of asyncapi.yaml")
        if event_type.name not in channels[topic]:
            raise UndeclaredSubscription(
                f"handler for {event_type.name}: asyncapi.yaml declares no such message on {topic}")
