"""Helpers of the sanctions integration tests: send other services' events, move the service's clock."""
from __future__ import annotations

from datetime import datetime

from services.dossier.published import DOSSIERS
from services.orientation.published import APPOINTMENTS, DECISIONS
from services.registration.published import PERSONS

TOPICS = {"registration.person": PERSONS, "orientation.decision": DECISIONS, "orientation.appointment": APPOINTMENTS,
          "dossier.": DOSSIERS}


def send(broker, *envelopes) -> None:
    for envelope in envelopes:
        broker.produce(_topic(envelope.type), envelope.subject, envelope.to_json())


def _topic(event_type: str) -> str:
    return next(topic.address for prefix, topic in TOPICS.items() if event_type.startswith(prefix))


class Clock:
    """The service's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
