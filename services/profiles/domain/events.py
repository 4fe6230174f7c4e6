"""Domain events raised by the aggregates; the service layer turns them into outbox messages."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    subject_id: str  # the person for a profile, the request for an introduction


class ProfilePublished(Event):
    """A first audience may find the profile."""


class ProfileUpdated(Event):
    """A published profile changed (facts or audiences)."""


class ProfileWithdrawn(Event):
    """No audience may find the profile any more."""


class InterestRequested(Event):
    pass


class InterestAnswered(Event):
    pass


class InterestExpired(Event):
    pass


class IntroductionMade(Event):
    """The person said yes: their contact details went to the recruiter, once."""


class OutcomeRecorded(Event):
    pass
