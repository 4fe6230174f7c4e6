"""Topics and event types the registration service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

PERSONS = Topic("registration.persons.v1")
PERSON_REGISTERED = EventType("registration.person.registered.v1", PERSONS)
PERSON_UPDATED = EventType("registration.person.updated.v1", PERSONS)
