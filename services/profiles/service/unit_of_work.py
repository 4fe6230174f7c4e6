"""What a profile bank use case runs in: its repositories and the events sink."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.uow import OutboxEvents, UnitOfWork
from services.profiles.adapters.repository import (
    AccessLogRepository, IntroductionRepository, OfferRepository, ProfileRepository, ViewCounter,
)
from services.profiles.domain.repository import AccessLog, Introductions, Offers, Profiles, Views


@dataclass
class ProfilesUnitOfWork(UnitOfWork):
    profiles: Profiles
    offers: Offers
    introductions: Introductions
    access_log: AccessLog
    views: Views


def on_session(session: Session, outbox: Outbox) -> ProfilesUnitOfWork:
    return ProfilesUnitOfWork(events=OutboxEvents(session, outbox), profiles=ProfileRepository(session),
                              offers=OfferRepository(session), introductions=IntroductionRepository(session),
                              access_log=AccessLogRepository(session), views=ViewCounter(session))
