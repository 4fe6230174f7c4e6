"""A person's requests to correct what the dossier holds about them, and the referent's answers (issue 15).

The person corrects their contact details themselves (registration's `/v1/me/registration/contact`);
anything else they ask to be corrected: a section of the dossier, optionally one field of it, and
what is wrong. The referent, who keeps the file, accepts or refuses with an answer the person reads.
Requests are kept in the dossier's `corrections` section, so the referent's view shows them with
the rest. Pure Python: the caller checks who may act and stores the section.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from services.core.errors import Conflict, InvalidTransition, NotFound, RuleBroken
from services.dossier.domain.sections import APPOINTMENTS, CONTRACT, DIAGNOSTIC, IDENTITY, ORIENTATION, REVIEWS, Section

# What a person may ask to correct: every section they read but the derived rsa_status (it follows
# identity, orientation and contract) and the corrections themselves.
CORRECTABLE = (IDENTITY, ORIENTATION, APPOINTMENTS, DIAGNOSTIC, CONTRACT, REVIEWS)
OPEN, ACCEPTED, REFUSED = "open", "accepted", "refused"
OUTCOMES = (ACCEPTED, REFUSED)
# Open requests a person may hold at once: enough for any real file, a bound against a flood.
MAX_OPEN = 20


class AlreadyAnswered(InvalidTransition):
    pass


def items(section: Section) -> list[dict[str, Any]]:
    return section.content.get("items", [])


def ask(section: Section, correction_id: str, about: str, field: str | None, message: str,
        now: datetime) -> dict[str, Any]:
    """A new open request; the section's version moves so the referent's ETag does too."""
    if about not in CORRECTABLE:
        raise RuleBroken(f"A correction is asked about one of: {', '.join(CORRECTABLE)}.", field="section")
    if sum(1 for item in items(section) if item["status"] == OPEN) >= MAX_OPEN:
        # The dossier's state, not the request, is at fault: the same request goes in once one is answered.
        raise Conflict(f"You already have {MAX_OPEN} open requests; wait for your referent's answers.")
    item = {"correction_id": correction_id, "section": about, "field": field, "message": message, "status": OPEN,
            "asked_at": now.isoformat(), "answer": None, "answered_at": None, "answered_by": None}
    section.content = {"items": [*items(section), item]}
    section.version += 1
    return item


def answer(section: Section, correction_id: str, outcome: str, text: str, by: dict[str, str],
           now: datetime) -> dict[str, Any]:
    """The referent's outcome, once: an answered request is not answered again."""
    found = [item for item in items(section) if item["correction_id"] == correction_id]
    if not found:
        raise NotFound("No correction request with this id in this dossier.")
    if found[0]["status"] != OPEN:
        raise AlreadyAnswered("This correction request was already answered.")
    if outcome not in OUTCOMES:
        raise RuleBroken(f"The outcome is one of: {', '.join(OUTCOMES)}.", field="outcome")
    answered = {**found[0], "status": outcome, "answer": text, "answered_at": now.isoformat(), "answered_by": by}
    section.content = {"items": [answered if item["correction_id"] == correction_id else item
                                 for item in items(section)]}
    section.version += 1
    return answered
