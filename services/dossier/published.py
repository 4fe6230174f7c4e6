"""Topics and event types the dossier service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

DOSSIERS = Topic("dossier.dossiers.v1")
DIAGNOSTIC_COMPLETED = EventType("dossier.diagnostic.completed.v1", DOSSIERS)
CONTRACT_SIGNED = EventType("dossier.contract.signed.v1", DOSSIERS)
REVIEW_RECORDED = EventType("dossier.review.recorded.v1", DOSSIERS)
