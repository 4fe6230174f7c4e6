"""What a profile bank use case runs in: its repositories and the events sink."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.core.outbox import Outbox
from services.core.search_index import Reading
from services.core.uow import OutboxEvents, UnitOfWork
from services.profiles.adapters.repository import (
    AccessLogRepository, IntroductionRepository, OfferRepository, ProfileRepository, ViewCounter,
)
from services.profiles.adapters.search import IndexFinder
from services.profiles.domain.repository import AccessLog, Finder, Introductions, Offers, Profiles, Views


@dataclass
class ProfilesUnitOfWork(UnitOfWork):
    profiles: Profiles
    offers: Offers
    introductions: Introductions
    access_log: AccessLog
    views: Views
    finder: Finder | None = None  # searches only


def on_session(session: Session, outbox: Outbox, reading: Reading | None = None) -> ProfilesUnitOfWork:
    """`reading`: the search index as of this request, for the searches."""
    profiles = ProfileRepository(session)
    return ProfilesUnitOfWork(events=OutboxEvents(session, outbox), profiles=profiles,
                              offers=OfferRepository(session), introductions=IntroductionRepository(session),
                              access_log=AccessLogRepository(session), views=ViewCounter(session),
                              finder=IndexFinder(reading, profiles) if reading is not None else None)
