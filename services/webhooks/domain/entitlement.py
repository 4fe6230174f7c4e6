"""May this organisation be told that this kind of fact changed about this subject, now?

The platform's one visibility rule (`core.person_policy`) decides whether the organisation knows
the person; the kind of fact must then be one of its relations may learn (`catalogue`). It is asked
when a change is recorded for an endpoint, and again at each delivery attempt and change-feed read:
a person who moved away or was oriented elsewhere since stops reaching the former organisation.
"""
from __future__ import annotations

from datetime import date

from services.core.person_policy import Organisation, PersonFacts, relations
from services.webhooks.domain.catalogue import OFFER, RELATIONS_BY_KIND, TEST


def entitled(org: Organisation, kind: str, facts: PersonFacts | None, today: date) -> bool:
    if kind in (OFFER, TEST):
        return True
    if facts is None:
        return False
    return bool(relations(org, facts, today) & RELATIONS_BY_KIND.get(kind, frozenset()))
