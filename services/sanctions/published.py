"""Topics and event types the sanctions service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

# What those who pay must apply (CAF/MSA, the operator, the mission locale): key = person id.
DECISIONS = Topic("sanctions.decisions.v1")
DECISION_MADE = EventType("sanctions.decision.made.v1", DECISIONS)
DECISION_LIFTED = EventType("sanctions.decision.lifted.v1", DECISIONS)
DECISION_ANNULLED = EventType("sanctions.decision.annulled.v1", DECISIONS)

# Reads of a person's cases, for the person's one access log (the dossier keeps it).
ACCESSES = Topic("sanctions.accesses.v1")
ACCESS_RECORDED = EventType("sanctions.person.access_recorded.v1", ACCESSES)
