"""Facts partners send to the platform ("dites-le nous une fois"): one inbound topic, one event type
per kind of fact. No service produces them; partners' systems do, through this contract."""
from __future__ import annotations

from services.core.events import EventType, Topic

PARTNERS_INBOUND = Topic("partners.inbound.v1")
CAF_RSA_OPENED = EventType("partners.caf.rsa_opened.v1", PARTNERS_INBOUND)
# An employer's DSN declared the hiring of a registered person (the return-to-employment fact).
DSN_HIRING_DECLARED = EventType("partners.dsn.hiring_declared.v1", PARTNERS_INBOUND)
