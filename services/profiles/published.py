"""Topics and event types the profile bank publishes: the contract its consumers import.

No event carries contact details, names or health data: a profile event says which audiences may
find the profile and for which jobs; an introduction event says who was introduced to whom."""
from __future__ import annotations

from services.core.events import EventType, Topic

PROFILES = Topic("profiles.profiles.v1")
PROFILE_PUBLISHED = EventType("profiles.profile.published.v1", PROFILES)
PROFILE_UPDATED = EventType("profiles.profile.updated.v1", PROFILES)
PROFILE_WITHDRAWN = EventType("profiles.profile.withdrawn.v1", PROFILES)

INTRODUCTIONS = Topic("profiles.introductions.v1")
INTEREST_REQUESTED = EventType("profiles.interest.requested.v1", INTRODUCTIONS)
INTEREST_ANSWERED = EventType("profiles.interest.answered.v1", INTRODUCTIONS)
INTEREST_EXPIRED = EventType("profiles.interest.expired.v1", INTRODUCTIONS)
INTRODUCTION_MADE = EventType("profiles.introduction.made.v1", INTRODUCTIONS)
OUTCOME_RECORDED = EventType("profiles.introduction.outcome_recorded.v1", INTRODUCTIONS)

# Reads and writes of a person's profile by an organisation, for the person's access log that the
# dossier keeps (and it alone reads this topic).
ACCESSES = Topic("profiles.accesses.v1")
ACCESS_RECORDED = EventType("profiles.person.access_recorded.v1", ACCESSES)
