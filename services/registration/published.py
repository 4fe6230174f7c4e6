"""Topics and event types the registration service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

# Broadcast: any service entitled to know a person registered. No health data (core.health_data).
PERSONS = Topic("registration.persons.v1")
PERSON_REGISTERED = EventType("registration.person.registered.v2", PERSONS)
PERSON_UPDATED = EventType("registration.person.updated.v2", PERSONS)

# The same state with its health data, readable only by the services entitled to it (its ACLs).
PERSONS_HEALTH = Topic("registration.health.v1", health_data=True)
PERSON_HEALTH = EventType("registration.person.health.v1", PERSONS_HEALTH)

# Accesses to a person's data, for the person's access log that the dossier keeps.
ACCESSES = Topic("registration.accesses.v1")
ACCESS_RECORDED = EventType("registration.person.access_recorded.v1", ACCESSES)

# The person's contact and the channels they opted out of, for the notifications service alone (its
# ACLs): least data, so reminders reach people without every consumer of registrations learning how.
CONTACTS = Topic("registration.contacts.v1")
CONTACT_CHANGED = EventType("registration.person.contact_changed.v1", CONTACTS)
