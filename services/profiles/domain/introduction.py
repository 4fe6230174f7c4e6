"""The interest check before contact: a recruiter asks, the person (through their referent) answers,
and only a "yes" releases the contact details, once.

Why: the recruitment rate rises from 7 % to 17 % when the candidate's interest is checked before
the application is forwarded (seeds 001, l. 3846). The reasons of a "no" are kept: they feed the
suggestions to the person (Proposition #19). A request nobody answers expires (default 7 days).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.core.errors import Conflict, Forbidden, InvalidTransition, RuleBroken
from services.profiles.domain import events

REQUESTED, INTERESTED, DECLINED, EXPIRED = "requested", "interested", "declined", "expired"
DECLINE_REASONS = ("job_not_wanted", "too_far", "working_hours", "pay", "already_employed", "in_training",
                   "not_available", "other")
OUTCOMES = ("interview", "hired", "not_hired")
FINAL_OUTCOMES = ("hired", "not_hired")
NOT_HIRED_REASONS = ("skills_mismatch", "candidate_withdrew", "position_filled", "no_show", "other")


@dataclass
class Introduction:
    id: str
    person_id: str
    requester: dict[str, str]  # org_id, org_type, client_id
    audience: str
    departement_code: str  # the person's, for the statistics
    offer_id: str | None
    message: str | None
    requested_at: datetime
    expires_at: datetime
    status: str = REQUESTED
    reason: str | None = None
    answered_at: datetime | None = None
    answered_by: str | None = None
    contact_released_at: datetime | None = None
    outcome: str | None = None
    outcome_reason: str | None = None
    outcome_at: datetime | None = None
    events: list[events.Event] = field(default_factory=list, repr=False)

    @classmethod
    def request(cls, **values: Any) -> "Introduction":
        if not values.get("offer_id") and not values.get("message"):
            raise RuleBroken("Say what the contact is about: an offer_id or a message.", field="offer_id")
        introduction = cls(**values)
        introduction.events.append(events.InterestRequested(introduction.id))
        return introduction

    def answer(self, answer: str, reason: str | None, by_org_id: str, now: datetime) -> None:
        self.expire_if_due(now)
        if self.status != REQUESTED:
            raise InvalidTransition(f"This request is {self.status}; it can no longer be answered.")
        if answer == DECLINED and reason is None:
            raise RuleBroken("A 'declined' answer needs a reason.", field="reason")
        self.status, self.reason, self.answered_at, self.answered_by = answer, reason, now, by_org_id
        self.events.append(events.InterestAnswered(self.id))

    def expire_if_due(self, now: datetime) -> bool:
        if self.status != REQUESTED or now < self.expires_at:
            return False
        self.status = EXPIRED
        self.events.append(events.InterestExpired(self.id))
        return True

    def release_contact(self, consent_active: bool, now: datetime) -> None:
        """Once, after a yes, while the person still consents to the recruiter's audience."""
        if self.status != INTERESTED:
            raise Forbidden("Contact details are released only once the person said they are interested.")
        if self.contact_released_at is not None:
            raise Conflict("The contact details were already released for this request; they are not sent twice.",
                           slug="contact-already-released")
        if not consent_active:
            raise Forbidden("The person withdrew their consent to your audience: no contact details are released.")
        self.contact_released_at = now
        self.events.append(events.IntroductionMade(self.id))

    def record_outcome(self, outcome: str, reason: str | None, now: datetime) -> None:
        if self.contact_released_at is None:
            raise InvalidTransition("An outcome follows an introduction: get the contact details first.")
        if self.outcome in FINAL_OUTCOMES:
            raise InvalidTransition(f"The outcome is already recorded: {self.outcome}.")
        if outcome == "not_hired" and reason is None:
            raise RuleBroken("A 'not_hired' outcome needs a reason.", field="reason")
        self.outcome, self.outcome_reason, self.outcome_at = outcome, reason, now
        self.events.append(events.OutcomeRecorded(self.id))
