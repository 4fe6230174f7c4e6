"""Topics and event types the dossier service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

DOSSIERS = Topic("dossier.dossiers.v1")
DIAGNOSTIC_COMPLETED = EventType("dossier.diagnostic.completed.v1", DOSSIERS)
CONTRACT_SIGNED = EventType("dossier.contract.signed.v1", DOSSIERS)
REVIEW_RECORDED = EventType("dossier.review.recorded.v1", DOSSIERS)
# Raised by the follow-up job when the clock passes a deadline nobody acted on.
REVIEW_OVERDUE = EventType("dossier.review.overdue.v1", DOSSIERS)
CONTRACT_UNSIGNED = EventType("dossier.contract.unsigned.v1", DOSSIERS)
