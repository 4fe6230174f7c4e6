"""The aggregates' domain events, as outbox messages in the caller's unit of work. What other
services are told is limited on purpose: no name, no contact, no health data, no free text."""
from __future__ import annotations

from typing import Any

from services.core.outbox import PendingEvent
from services.profiles import published
from services.profiles.domain import events
from services.profiles.domain.introduction import Introduction
from services.profiles.domain.profile import Profile
from services.profiles.service.unit_of_work import ProfilesUnitOfWork

EVENT_TYPES = {
    events.ProfilePublished: published.PROFILE_PUBLISHED, events.ProfileUpdated: published.PROFILE_UPDATED,
    events.ProfileWithdrawn: published.PROFILE_WITHDRAWN, events.InterestRequested: published.INTEREST_REQUESTED,
    events.InterestAnswered: published.INTEREST_ANSWERED, events.InterestExpired: published.INTEREST_EXPIRED,
    events.IntroductionMade: published.INTRODUCTION_MADE, events.OutcomeRecorded: published.OUTCOME_RECORDED,
}


def publish_profile(uow: ProfilesUnitOfWork, profile: Profile) -> None:
    # Several changes in one command are one fact for consumers: each event type once, in order.
    kinds = list(dict.fromkeys(type(event) for event in profile.events))
    uow.events.emit_all([PendingEvent(EVENT_TYPES[kind], profile.person_id, profile_data(profile)) for kind in kinds])
    profile.events.clear()


def publish_introduction(uow: ProfilesUnitOfWork, introduction: Introduction) -> None:
    uow.events.emit_all([PendingEvent(EVENT_TYPES[type(event)], introduction.person_id,
                                      introduction_data(introduction)) for event in introduction.events])
    introduction.events.clear()


def profile_data(profile: Profile) -> dict[str, Any]:
    return {
        "profile_id": profile.person_id, "version": profile.version,
        "audiences": [audience.value for audience in profile.active_audiences],
        "departement_code": profile.departement_code, "rome_codes": profile.value("rome_codes", []),
        "seeks_temporary_work": profile.seeks_temporary_work,
    }


def introduction_data(introduction: Introduction) -> dict[str, Any]:
    def moment(value) -> str | None:
        return value.isoformat() if value else None

    return {
        "request_id": introduction.id, "person_id": introduction.person_id,
        "requester": {"org_id": introduction.requester["org_id"], "org_type": introduction.requester["org_type"]},
        "audience": introduction.audience, "departement_code": introduction.departement_code,
        "offer_id": introduction.offer_id, "status": introduction.status, "reason": introduction.reason,
        "requested_at": moment(introduction.requested_at), "expires_at": moment(introduction.expires_at),
        "answered_at": moment(introduction.answered_at), "contact_released_at": moment(introduction.contact_released_at),
        "outcome": introduction.outcome, "outcome_reason": introduction.outcome_reason,
        "outcome_at": moment(introduction.outcome_at),
    }
