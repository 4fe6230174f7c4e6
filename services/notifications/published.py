"""Topics and event types the notifications service publishes: the contract its consumers import."""
from __future__ import annotations

from services.core.events import EventType, Topic

# Messages to people the platform could not deliver: a reminder given up after its retry schedule on a
# channel, for the referent organisation to reach the person another way (the dossier shows it);
# key = person id.
MESSAGES = Topic("notifications.messages.v1")
MESSAGE_FAILED = EventType("notifications.message.failed.v1", MESSAGES)
